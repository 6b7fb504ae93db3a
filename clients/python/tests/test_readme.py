"""The README's own-model snippet runs as printed against a started service (BITPLAN_URL)."""

import contextlib
import io
import os
import re
import unittest

README = os.path.join(os.path.dirname(__file__), "..", "..", "..", "README.md")


class ReadmeSnippetTest(unittest.TestCase):
    def test_the_evidence_snippet_plans_applies_and_evaluates(self):
        with open(README, encoding="utf8") as file:
            text = file.read()
        section = text[text.index("## Your own model") :]
        snippet = re.search(r"```python\n(.*?)```", section, re.S).group(1)
        printed = io.StringIO()
        scope: dict = {}
        with contextlib.redirect_stdout(printed):
            exec(compile(snippet, "README.md (Your own model)", "exec"), scope)  # noqa: S102 - the README's own code
        avg_bits, accuracy = (float(v) for v in printed.getvalue().split())
        self.assertLessEqual(avg_bits, 3.5 + 1e-9)
        self.assertGreater(accuracy, 0.6)
        self.assertEqual(scope["plan"]["status"], "optimal")


if __name__ == "__main__":
    unittest.main()
