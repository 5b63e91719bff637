"""The include graph keeps the layers of docs/architecture (and
shared/DESIGN.md section 2): core <- store <- gov <- http, cli. Inside
gov/, each domain folder (gov/people, gov/assembly, gov/procedure,
gov/federation, ...) has one public header named for the folder; http/,
cli/ and the other domains include only that, never a domain's internal
headers. gov/gov.h and the composition files at the top of gov/ are shared
by every domain."""
import os
import re

TOP = os.path.join(os.path.dirname(__file__), "..", "..")
SRC = os.path.join(TOP, "src")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# layer -> the layers it may include (besides itself)
ALLOWED = {
    "core": set(),
    "store": {"core"},
    "gov": {"core", "store"},
    "http": {"core", "store", "gov"},
    "cli": {"core", "store", "gov", "http"},
}


def sources():
    for layer in ALLOWED:
        for root, _dirs, files in os.walk(os.path.join(SRC, layer)):
            for f in files:
                if f.endswith((".c", ".h")):
                    yield layer, os.path.relpath(os.path.join(root, f), SRC)


def resolve(src_rel, inc):
    """The include's path relative to src/, as the compiler finds it
    (the including file's folder first, then -Isrc)."""
    here = os.path.normpath(os.path.join(os.path.dirname(src_rel), inc))
    if os.path.exists(os.path.join(SRC, here)):
        return here
    return os.path.normpath(inc)


def domain_of(rel):
    parts = rel.split(os.sep)
    if parts[0] == "gov" and len(parts) > 2:
        return parts[1]
    return None


def read_sources():
    for layer, rel in sources():
        with open(os.path.join(SRC, rel), encoding="utf-8") as f:
            yield layer, rel, f.read()


def violations(files):
    bad = []
    for layer, rel, text in files:
        for inc in INCLUDE.findall(text):
            target = resolve(rel, inc)
            if not os.path.exists(os.path.join(SRC, target)):
                continue  # a generated or system header
            tlayer = target.split(os.sep)[0]
            if target in ("banned.h",) or tlayer == layer and layer != "gov":
                continue
            if tlayer not in ALLOWED and tlayer != layer:
                continue
            if tlayer != layer and tlayer not in ALLOWED[layer]:
                bad.append(f"{rel} includes {target}: {layer}/ may not include {tlayer}/")
                continue
            if tlayer == "gov":
                tdom = domain_of(target)
                if tdom is None:
                    continue  # gov/gov.h, shared by all
                public = os.path.join("gov", tdom, tdom + ".h")
                if domain_of(rel) == tdom:
                    continue  # a domain's own files
                if target != public:
                    bad.append(f"{rel} includes {target}: only {public} is public")
    return bad


def test_layers_point_one_way_and_domains_keep_their_internals():
    bad = violations(read_sources())
    assert not bad, "\n".join(bad)


def test_every_domain_folder_has_its_public_header():
    gov = os.path.join(SRC, "gov")
    folders = [d for d in os.listdir(gov) if os.path.isdir(os.path.join(gov, d))]
    assert {"people", "assembly", "procedure", "federation", "lot"} <= set(folders)
    for d in folders:
        assert os.path.exists(os.path.join(gov, d, d + ".h")), d


def test_the_check_catches_each_kind_of_reach():
    # the rule must be able to fail: each probe breaks it once
    probes = [
        ("http", "http/probe.c", '#include "gov/federation/fed_tree.h"\n'),
        ("core", "core/probe.c", '#include "store/store.h"\n'),
        ("store", "store/probe.c", '#include "gov/gov.h"\n'),
        ("gov", "gov/procedure/probe.c", '#include "gov/federation/proposal_count.h"\n'),
        ("gov", "gov/people/probe.c", '#include "http/server.h"\n'),
        ("gov", "gov/replay/probe.c", '#include "gov/lot/lot_apply.h"\n'),
        ("cli", "cli/probe.c", '#include "gov/lot/lot_apply.h"\n'),
    ]
    for probe in probes:
        assert len(violations([probe])) == 1, probe
    allowed = [
        ("gov", "gov/federation/probe.c", '#include "gov/federation/fed_tree.h"\n'),
        ("http", "http/probe.c", '#include "gov/federation/federation.h"\n'),
        ("gov", "gov/lot/probe.c", '#include "gov/lot/lot_apply.h"\n'),
        ("gov", "gov/replay/probe.c", '#include "gov/lot/lot.h"\n'),
        ("cli", "cli/probe.c", '#include "http/server.h"\n'),
    ]
    assert violations(allowed) == []
