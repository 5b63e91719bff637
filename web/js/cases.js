// cases.js: the words of the harm question (docs/cases.md), shared by the
// case page and the polity page: a case's state, each step of its
// timeline, in plain words.
import { h, link } from './dom.js';
import { t, tx } from './i18n.js';

export const CASE_STATES = {
	petitioned: t('Petitioned: the assembly decides whether to take it up'),
	declined: t('Declined by the assembly'),
	hearing: t('In hearing'),
	harm_found: t('Harm found: a remedy is to be asked for'),
	no_harm: t('No harm found'),
	remedy_requested: t('A remedy is asked of the civil service'),
	recommendation_received: t('A remedy is recommended: the assembly decides'),
	in_force: t('Remedy in force'),
	under_review: t('Remedy under review'),
	withdrawn: t('Remedy withdrawn'),
};

export function caseState(s) {
	return CASE_STATES[s] || s.replace(/_/g, ' ');
}

export const CASE_STEPS = {
	petitioned: t('Petition filed'),
	taken_up: t('Taken up by the assembly'),
	declined: t('Declined by the assembly'),
	hearing_opened: t('Hearing opened'),
	harm_found: t('Harm found'),
	no_harm: t('No harm found'),
	remedy_requested: t('Civil service asked for a remedy'),
	recommended: t('Remedy recommended by the civil service'),
	recommendation_rejected: t('Recommendation sent back: the law would still allow harm'),
	remedy_approved: t('Remedy approved: the law changed in the register'),
	review_opened: t('Review opened on its date'),
	reported: t('Civil service reported on the measures'),
	review_harm_found: t('Review: the law still allows harm'),
	review_no_harm: t('Review: no harm found'),
	confirmed: t('Remedy confirmed until its next review'),
	revised: t('Remedy to be revised: civil service asked again'),
	withdrawn: t('Remedy withdrawn: the previous version is back'),
	evidence: t('Evidence submitted'),
	evidence_sealed: t('Evidence sealed from the public by the assembly'),
	brief_requested: t('Evidence brief asked of the civil service'),
	brief_submitted: t('Evidence brief submitted by the civil service'),
	testimony_scheduled: t('Witnesses scheduled at a meeting of the assembly'),
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
		return tx('about {law}', { law: h('a', { href: link.law(assembly, c.law) },
			c.law_title ? t('law {n}: {title}', { n: c.law, title: c.law_title })
				: t('law {n}', { n: c.law })) });
	return tx('about what the law says nothing about: {absence}',
		{ absence: h('em', null, c.absence) });
}
