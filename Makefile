# pnyx: GNU Makefile.
#
#   make            build ./pnyx
#   make run        install missing Debian packages, build, serve the demo
#   make test       unit, API and browser suites; then again under ASan+UBSan
#   make bench      benchmarks against baselines run side by side
#   make fuzz       build the libFuzzer targets (clang)
#   make crashtest  kill -9 and power cuts under load (RUNS=20, SEED=...)
#   make install    PREFIX=/usr/local DESTDIR=: the binary and the man page
#   make deb        the Debian package (dpkg-buildpackage), make deb-test checks it
#   make clean
#
# Each variant builds into its own directory: build/rel (optimised, the
# ./pnyx users run) and build/san (AddressSanitizer + UBSan, for tests).

PREFIX  ?= /usr/local
DESTDIR ?=
VARIANT ?= rel
B       := build/$(VARIANT)

CC      ?= cc
PKGS    := libmicrohttpd sqlite3 jansson libsodium libcmark libqrencode libcurl libcrypto libsystemd libical \
           icu-i18n icu-uc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# GLPK ships no pkg-config file: find it by its header and library.
GLPK_H  := $(firstword $(wildcard /usr/include/glpk.h /usr/local/include/glpk.h))
GLPK_LIBS := -lglpk

WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wvla -Wwrite-strings
ifneq ($(CI),)
WARN    += -Werror
endif

ifeq ($(VARIANT),san)
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
           -fno-sanitize-recover=undefined
LDSAN   := -fsanitize=address,undefined
else
OPT     := -O2 -g
LDSAN   :=
endif

CPPFLAGS += -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Isrc
CFLAGS  += $(WARN) $(OPT) $(PKG_CFLAGS) -MMD -MP
LDLIBS  := $(PKG_LIBS) $(GLPK_LIBS) -lpthread -lm

LIB_SRC := $(sort $(wildcard src/core/*.c src/store/*.c src/gov/*.c src/gov/*/*.c \
                             src/http/*.c src/cli/*.c))
LIB_SRC := $(filter-out src/cli/main.c,$(LIB_SRC))
WEB_FILES := $(sort $(shell find web -type f 2>/dev/null))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/web_assets.o $(B)/gen/web_assets_gz.o \
           $(B)/gen/catalogs.o

# Translations (docs/translating.md): one po/LANG.po per language, compiled
# by msgfmt into a .mo file embedded for C (core/i18n.c) and written as the
# browser's catalogue /i18n/LANG.json (tools/mo2json.c).
LINGUAS   := $(sort $(basename $(notdir $(wildcard po/*.po))))
MO_FILES  := $(LINGUAS:%=$(B)/gen/mo/%)
I18N_JSON := $(LINGUAS:%=$(B)/gen/web/i18n/%.json) $(B)/gen/web/i18n/languages.json
# The main path, which every language must translate whole: the pages a
# newcomer meets, the minutes and the commands that start a node. A string
# of these files missing from a .po file is reported by po-check (an error
# under CI=true). tests/browser (the Spanish walk) names what else remains.
# Every command's messages, less those of a command whose usage is not
# translated yet (tests/cli/test_cli_spanish.py reads this list too).
I18N_CLI_PENDING :=
I18N_MAIN_C    := $(filter-out $(I18N_CLI_PENDING),$(sort $(wildcard src/cli/*.c))) \
                  src/gov/procedure/minutes.c src/gov/notice/notice.c src/gov/notice/notice_mail.c \
                  src/core/errors.def src/core/rrule_words.c src/http/spec.c src/http/request.c src/http/server.c src/store/store.c \
                  $(sort $(wildcard src/gov/sharing/*.c))
I18N_MAIN_JS   := web/js/i18n.js web/js/layout.js web/js/api.js web/js/dom.js web/js/forms.js \
                  web/js/text.js web/js/votes.js web/js/stv.js web/js/rule-editor.js \
                  web/js/motion-form.js web/js/discussion.js web/js/declarations.js \
                  web/js/offices.js \
                  web/js/pages/index.js \
                  web/js/pages/signin.js web/js/pages/signup.js web/js/pages/laws.js \
                  web/js/pages/assembly.js web/js/pages/projector.js \
                  web/js/pages/meeting.js web/js/pages/motion.js web/js/pages/found.js \
                  web/js/pages/journal.js web/js/pages/notifications.js web/js/pages/community.js \
                  web/js/pages/notfound.js web/js/pages/proposal.js \
                  web/js/pages/standing.js web/js/economy.js web/js/pages/militia.js \
                  web/js/pages/tally.js web/js/lot.js web/js/cases.js web/js/pages/polity.js \
                  web/js/pages/citizenship.js web/js/pages/renewal.js \
                  web/js/pages/enterprise.js web/js/pages/case.js web/js/pages/sharing.js \
                  web/js/pages/economy.js
I18N_MAIN_HTML := web/index.html web/signin.html web/signup.html web/laws.html web/assembly.html \
                  web/projector.html web/meeting.html web/motion.html web/found.html \
                  web/journal.html web/notifications.html web/community.html web/404.html \
                  web/proposal.html web/standing.html web/militia.html web/tally.html \
                  web/polity.html web/citizenship.html web/renewal.html web/enterprise.html \
                  web/case.html web/sharing.html web/economy.html
XGETTEXT_C  := xgettext --from-code=UTF-8 -L C -k_ -kN_ -ktr:2 -ktrn:2,3 -ktrp:2c,3 -kNC_:1c,2 -kNN_:1,2 -kpx_fail:4 -kcli_errorf:3 \
               --add-comments=TRANSLATORS: --sort-by-file
XGETTEXT_JS := xgettext --from-code=UTF-8 -L JavaScript -kt -ktn:1,2 -ktx -kpt:1c,2 -kN_ \
               --add-comments=TRANSLATORS: --sort-by-file
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
# Each libFuzzer target also built as a plain replay program (tests/fuzz/
# replay.c), with this variant's compiler and sanitizers: tests/run passes
# every kept corpus through it.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)

.PHONY: all run test test-one bench fuzz crashtest install clean deps check-deps unit deb deb-test \
        pot po-check
all: pnyx

# $(call replace,FROM,TO): TO becomes a copy of FROM by a rename over it,
# never by writing into it, and only when they differ. A program started
# from TO (`make run` in another terminal, a test's server) keeps running
# its old file, and the copy does not fail with "Text file busy".
define replace
	@cmp -s $(1) $(2) || { cp $(1) $(2).tmp && mv -f $(2).tmp $(2) && \
	  echo "installed $(2)"; } || { rm -f $(2).tmp; exit 1; }
endef

pnyx: check-deps build/rel/pnyx
	$(call replace,build/rel/pnyx,pnyx)

check-deps:
	@pkg-config --exists $(PKGS) && test -n "$(GLPK_H)" || \
	 { echo "missing libraries: run scripts/deps (or make run)"; exit 1; }

build/rel/pnyx: FORCE
	@$(MAKE) --no-print-directory VARIANT=rel build/rel/.bin

build/san/pnyx: FORCE
	@$(MAKE) --no-print-directory VARIANT=san build/san/.bin

FORCE:

$(B)/.bin: $(B)/pnyx-bin $(UNIT_BIN) $(FUZZ_BIN) $(B)/tests/powercut.so
	$(call replace,$(B)/pnyx-bin,$(B)/pnyx)
	@touch $@

$(B)/pnyx-bin: $(B)/src/cli/main.o $(B)/libpnyx.a
	$(CC) $(LDFLAGS) $(LDSAN) -o $@ $^ $(LDLIBS)

$(B)/libpnyx.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The browser interface, embedded into the binary at build time.
$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) -O1 -o $@ $<

$(B)/gen/web_assets.c: $(B)/tools/embed $(WEB_FILES) $(I18N_JSON)
	@mkdir -p $(dir $@)
	$(B)/tools/embed web $@ $(WEB_FILES) -r $(B)/gen/web $(I18N_JSON)

# Each of them also compressed (gzip -9, without a name or a time, so the
# build is reproducible), served to browsers that accept it: a Spanish
# page with its catalogue weighs a third of its size on the wire.
GZ_WEB := $(WEB_FILES:web/%=$(B)/gen/gz/%.gz) $(I18N_JSON:$(B)/gen/web/%=$(B)/gen/gz/%.gz)

$(B)/gen/gz/i18n/%.gz: $(B)/gen/web/i18n/%
	@mkdir -p $(dir $@)
	gzip -9 -n -c $< > $@

$(B)/gen/gz/%.gz: web/%
	@mkdir -p $(dir $@)
	gzip -9 -n -c $< > $@

$(B)/gen/web_assets_gz.c: $(B)/tools/embed $(GZ_WEB)
	@mkdir -p $(dir $@)
	$(B)/tools/embed -t web_assets_gz $(B)/gen/gz $@ $(GZ_WEB)

$(B)/tools/mo2json: tools/mo2json.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) -O1 -o $@ $<

# msgfmt --check: a translated format string must take the same arguments.
$(B)/gen/mo/%: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

$(B)/gen/web/i18n/languages.json: $(LINGUAS:%=po/%.po)
	@mkdir -p $(dir $@)
	@printf '["en"%s]\n' "$(foreach l,$(LINGUAS),,\"$(l)\")" > $@

# The pages' catalogue holds only what the pages show (it is part of every
# page's weight): the strings of web/ and the words of the kinds tables of
# src/gov marked N_() (their labels, the motion form's); the server's own
# messages reach the pages already translated (Accept-Language).
WEB_JS   := $(sort $(wildcard web/js/*.js web/js/pages/*.js))
WEB_HTML := $(sort $(wildcard web/*.html))
KINDS_C  := $(sort $(wildcard src/gov/*/*kinds*.c)) src/gov/economy/contributions.c \
            src/gov/economy/void.c src/gov/economy/militia.c src/gov/economy/standing.c
$(B)/gen/web.pot: $(WEB_JS) $(WEB_HTML) $(KINDS_C) tools/html-strings
	@mkdir -p $(dir $@)
	@$(XGETTEXT_JS) -o $@.js.pot $(WEB_JS)
	@tools/html-strings $@.html.pot $(WEB_HTML)
	@xgettext --from-code=UTF-8 -L C -k -kN_ -o $@.c.pot $(KINDS_C)
	@sed -i 's/charset=CHARSET/charset=UTF-8/' $@.js.pot $@.c.pot
	@msgcat --use-first -o $@ $@.js.pot $@.html.pot $@.c.pot
	@rm -f $@.js.pot $@.html.pot $@.c.pot

.SECONDARY: $(LINGUAS:%=$(B)/gen/web-mo/%)
$(B)/gen/web-mo/%: po/%.po $(B)/gen/web.pot
	@mkdir -p $(dir $@)
	msgmerge --quiet --no-fuzzy-matching -o $@.po $< $(B)/gen/web.pot
	msgfmt --check -o $@ $@.po

$(B)/gen/web/i18n/%.json: $(B)/gen/web-mo/% $(B)/tools/mo2json
	@mkdir -p $(dir $@)
	$(B)/tools/mo2json $< $@

$(B)/gen/catalogs.c: $(B)/tools/embed $(MO_FILES) $(B)/gen/po-check
	@mkdir -p $(dir $@)
	$(B)/tools/embed -t i18n_catalogs -i core/i18n.h -s i18n_blob $(B)/gen/mo $@ $(MO_FILES)

$(B)/gen/catalogs.o: $(B)/gen/catalogs.c
	$(CC) $(CPPFLAGS) $(filter-out -Wmissing-prototypes,$(CFLAGS)) -c -o $@ $<

# Every string of the main path translated in every po/LANG.po: msgcmp
# (gettext) fails on one that is missing, untranslated or fuzzy. A warning
# in a developer's build, an error under CI=true.
$(B)/gen/main.pot: $(I18N_MAIN_C) $(I18N_MAIN_JS) $(I18N_MAIN_HTML) tools/html-strings
	@mkdir -p $(dir $@)
	@$(XGETTEXT_C) -kX:3 -o $@.c.pot $(I18N_MAIN_C)
	@$(XGETTEXT_JS) -o $@.js.pot $(I18N_MAIN_JS)
	@tools/html-strings $@.html.pot $(I18N_MAIN_HTML)
	@sed -i 's/charset=CHARSET/charset=UTF-8/' $@.c.pot $@.js.pot
	@msgcat --use-first -o $@ $@.c.pot $@.js.pot $@.html.pot
	@rm -f $@.c.pot $@.js.pot $@.html.pot

$(B)/gen/po-check: $(B)/gen/main.pot $(LINGUAS:%=po/%.po)
	@ok=1; for l in $(LINGUAS); do \
	  msgcmp po/$$l.po $< 2>$@.err || { ok=0; \
	    echo "po/$$l.po lacks translations of the main path (make pot, then translate):"; \
	    grep -v -e '^msgcmp' -e 'is not used' $@.err | head -40; }; \
	 done; rm -f $@.err; \
	 if [ $$ok = 1 ]; then touch $@; elif [ -n "$(CI)" ]; then exit 1; \
	 else echo "warning: untranslated strings on the main path"; fi

po-check: $(B)/gen/po-check

# po/pnyx.pot from every marked string (C, JS, pages); each po/LANG.po
# brought up to date with it (msgmerge). Run after changing strings.
pot:
	$(XGETTEXT_C) -kX:3 --package-name=pnyx -o po/c.pot.tmp \
	  src/core/errors.def $(LIB_SRC) src/cli/main.c
	$(XGETTEXT_JS) -o po/js.pot.tmp $(sort $(wildcard web/js/*.js web/js/pages/*.js))
	tools/html-strings po/html.pot.tmp $(sort $(wildcard web/*.html))
	sed -i 's/charset=CHARSET/charset=UTF-8/' po/c.pot.tmp po/js.pot.tmp
	msgcat --use-first -o po/pnyx.pot po/c.pot.tmp po/js.pot.tmp po/html.pot.tmp
	rm -f po/c.pot.tmp po/js.pot.tmp po/html.pot.tmp
	@for l in $(LINGUAS); do msgmerge --quiet --update --backup=none po/$$l.po po/pnyx.pot; done

$(B)/gen/web_assets.o: $(B)/gen/web_assets.c
	$(CC) $(CPPFLAGS) $(filter-out -Wmissing-prototypes,$(CFLAGS)) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/libpnyx.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags cmocka) $(LDFLAGS) $(LDSAN) \
	  -o $@ $< $(B)/libpnyx.a $(shell pkg-config --libs cmocka) $(LDLIBS)

$(B)/fuzz/replay.o: tests/fuzz/replay.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/fuzz/%: tests/fuzz/%.c $(B)/fuzz/replay.o $(B)/libpnyx.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(LDSAN) -o $@ $< $(B)/fuzz/replay.o \
	  $(B)/libpnyx.a $(LDLIBS)

# The power-cut shim of tests/crash (LD_PRELOAD; no sanitizer of its own).
$(B)/tests/powercut.so: tests/crash/powercut.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) -O1 -g -fPIC -shared -o $@ $< -ldl

run: 
	./scripts/deps
	$(MAKE) pnyx
	./scripts/run

test:
	./scripts/deps
	$(MAKE) -j$$(nproc) build/rel/pnyx build/san/pnyx
	./tests/run

# kill -9 and power cuts under concurrent writes (tests/crash/crashtest);
# RUNS=N to change the number of runs, SEED=S to repeat a run.
RUNS ?= 20
crashtest: build/rel/pnyx
	tests/crash/crashtest --runs $(RUNS) --bin build/rel/pnyx

bench: pnyx
	./bench/run

fuzz:
	$(MAKE) -f tests/fuzz/Makefile PKGS='$(PKGS)'

install: pnyx
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 pnyx $(DESTDIR)$(PREFIX)/bin/pnyx
	install -m 644 man/pnyx.1 $(DESTDIR)$(PREFIX)/share/man/man1/pnyx.1

# The unit tests of one variant, built and run (the Debian package's check).
unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do $$t >/dev/null || { echo "FAILED: $$t"; $$t; exit 1; }; done; \
	 echo "unit: $(words $(UNIT_BIN)) programs passed"

# The Debian package (debian/), built and inspected (tests/deb/run).
deb:
	dpkg-buildpackage -us -uc -b
deb-test:
	tests/deb/run

clean:
	rm -rf build pnyx pnyx.tmp

-include $(shell find build -name '*.d' 2>/dev/null)
