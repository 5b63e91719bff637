// cases.js: the words of the harm question (docs/cases.md), shared by the
// case page and the polity page: a case's state, each step of its
// timeline, in plain words.
import { h, link } from './dom.js';

export const CASE_STATES = {
	petitioned: 'Petitioned: the assembly decides whether to take it up',
	declined: 'Declined by the assembly',
	hearing: 'In hearing',
	harm_found: 'Harm found: a remedy is to be asked for',
	no_harm: 'No harm found',
	remedy_requested: 'A remedy is asked of the civil service',
	recommendation_received: 'A remedy is recommended: the assembly decides',
	in_force: 'Remedy in force',
	under_review: 'Remedy under review',
	withdrawn: 'Remedy withdrawn',
};

export function caseState(s) {
	return CASE_STATES[s] || s.replace(/_/g, ' ');
}

export const CASE_STEPS = {
	petitioned: 'Petition filed',
	taken_up: 'Taken up by the assembly',
	declined: 'Declined by the assembly',
	hearing_opened: 'Hearing opened',
	harm_found: 'Harm found',
	no_harm: 'No harm found',
	remedy_requested: 'Civil service asked for a remedy',
	recommended: 'Remedy recommended by the civil service',
	recommendation_rejected: 'Recommendation sent back: the law would still allow harm',
	remedy_approved: 'Remedy approved: the law changed in the register',
	review_opened: 'Review opened on its date',
	reported: 'Civil service reported on the measures',
	review_harm_found: 'Review: the law still allows harm',
	review_no_harm: 'Review: no harm found',
	confirmed: 'Remedy confirmed until its next review',
	revised: 'Remedy to be revised: civil service asked again',
	withdrawn: 'Remedy withdrawn: the previous version is back',
	evidence: 'Evidence submitted',
	evidence_sealed: 'Evidence sealed from the public by the assembly',
	brief_requested: 'Evidence brief asked of the civil service',
	brief_submitted: 'Evidence brief submitted by the civil service',
	testimony_scheduled: 'Witnesses scheduled at a meeting of the assembly',
};

export function caseStep(s) {
	return CASE_STEPS[s] || s.replace(/_/g, ' ');
}

export function caseLink(id) {
	return '/case.html?id=' + encodeURIComponent(id);
}

// What the case is about: a law of the register, or what the law leaves out.
export function caseSubject(c, assembly) {
	if (c.law)
		return ['about ', h('a', { href: link.law(assembly, c.law) }, 'law ' + c.law +
			(c.law_title ? ': ' + c.law_title : ''))];
	return ['about what the law says nothing about: ', h('em', null, c.absence)];
}
