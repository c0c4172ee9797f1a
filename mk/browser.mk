# Browser end-to-end test of the Swagger page (owner: test engineer).
#
#   make browser-deps   installs playwright-core (pinned) into .tools/browser/node_modules.
#                       The browser itself is Debian's chromium (/usr/bin/chromium, apt-get in
#                       .ci/run); playwright-core never downloads one.
#   make test-browser   runs sns/tests/test_swagger_browser.py, failing (not skipping) when
#                       chromium, node or playwright-core is missing.
#
# Not part of INFRA_CHECKS: the test is collected by `make test` (testpaths includes sns), so
# CI runs it once browser-deps has run and REQUIRE_BROWSER_TESTS=1 is set.

BROWSER_TOOLS := .tools/browser
PLAYWRIGHT_CORE_VERSION := 1.65.1

$(BROWSER_TOOLS)/.installed: mk/browser.mk
	rm -rf $(BROWSER_TOOLS)
	mkdir -p $(BROWSER_TOOLS)
	npm install --prefix $(BROWSER_TOOLS) --no-audit --no-fund --save-exact --loglevel=error \
		playwright-core@$(PLAYWRIGHT_CORE_VERSION)
	node -e "const v = require('./$(BROWSER_TOOLS)/node_modules/playwright-core/package.json').version; \
		if (v !== '$(PLAYWRIGHT_CORE_VERSION)') { console.error('playwright-core ' + v); process.exit(1); }"
	touch $@

.PHONY: browser-deps test-browser

browser-deps: $(BROWSER_TOOLS)/.installed ## Install playwright-core (pinned) for the Swagger browser test

test-browser: install browser-deps ## Swagger page end-to-end in headless Chromium (needs Debian's chromium)
	DJANGO_SETTINGS_MODULE=config.settings.test REQUIRE_BROWSER_TESTS=1 $(PY) -m pytest -m browser sns/tests/test_swagger_browser.py -v
