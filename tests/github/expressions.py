"""A small evaluator of GitHub Actions expressions, enough for `if:` conditions.

Literals ('text', numbers, true, false, null), contexts (github.event.x, a['b']),
! == != < <= > >= && || and parentheses, and the functions startsWith, endsWith,
contains, format-free status checks (success, failure, always, cancelled).
As in GitHub: string comparison ignores case, && and || return an operand, and a
missing property is null. Anything else raises, so a condition it cannot read
fails the test instead of being guessed.
"""

import re

TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|<=|>=|&&|\|\||[!<>()\[\],.])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*))"
)


def tokenize(text):
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ValueError(f"cannot read expression at {text[pos:]!r}")
        pos = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "str":
            value = value[1:-1].replace("''", "'")
        elif kind == "num":
            value = float(value)
        tokens.append((kind, value))
    return tokens


def truthy(value):
    return value not in (None, False, 0, 0.0, "")


def _norm(value):
    return value.lower() if isinstance(value, str) else value


class Evaluator:
    def __init__(self, context, status="success"):
        self.context = context
        self.status = status

    def evaluate(self, text):
        text = text.strip()
        if text.startswith("${{") and text.endswith("}}"):
            text = text[3:-2]
        self.tokens = tokenize(text)
        self.pos = 0
        value = self.or_expr()
        if self.pos != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.pos]!r} in {text!r}")
        return value

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, value=None):
        token = self.peek()
        if value is not None and token[1] != value:
            raise ValueError(f"expected {value!r}, found {token!r}")
        self.pos += 1
        return token

    def or_expr(self):
        value = self.and_expr()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.and_expr()
            value = value if truthy(value) else right
        return value

    def and_expr(self):
        value = self.compare()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.compare()
            value = right if truthy(value) else value
        return value

    def compare(self):
        left = self.unary()
        kind, op = self.peek()
        if kind == "op" and op in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            right = self.unary()
            a, b = _norm(left), _norm(right)
            return {
                "==": lambda: a == b,
                "!=": lambda: a != b,
                "<": lambda: a < b,
                "<=": lambda: a <= b,
                ">": lambda: a > b,
                ">=": lambda: a >= b,
            }[op]()
        return left

    def unary(self):
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.unary())
        return self.primary()

    def primary(self):
        kind, value = self.take()
        if kind == "op" and value == "(":
            inner = self.or_expr()
            self.take(")")
            return inner
        if kind in ("num", "str"):
            return value
        if kind != "name":
            raise ValueError(f"unexpected {value!r}")
        if value in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[value]
        if self.peek() == ("op", "("):
            return self.call(value)
        current = self.context.get(value)
        while self.peek()[1] in (".", "["):
            if self.take()[1] == ".":
                key = self.take()[1]
            else:
                key = self.or_expr()
                self.take("]")
            current = current.get(key) if isinstance(current, dict) else None
        return current

    def call(self, name):
        self.take("(")
        args = []
        while self.peek() != ("op", ")"):
            args.append(self.or_expr())
            if self.peek() == ("op", ","):
                self.take()
        self.take(")")
        fn = name.lower()
        if fn == "startswith":
            return str(_norm(args[0]) or "").startswith(str(_norm(args[1]) or ""))
        if fn == "endswith":
            return str(_norm(args[0]) or "").endswith(str(_norm(args[1]) or ""))
        if fn == "contains":
            haystack, needle = args
            if isinstance(haystack, list):
                return any(_norm(item) == _norm(needle) for item in haystack)
            return str(_norm(needle)) in str(_norm(haystack) or "")
        if fn in ("success", "failure", "always", "cancelled") and not args:
            return {
                "success": self.status == "success",
                "failure": self.status == "failure",
                "always": True,
                "cancelled": False,
            }[fn]
        raise ValueError(f"function {name} is not supported here")


def evaluate(text, context, status="success"):
    return Evaluator(context, status).evaluate(text)


def jobs_that_run(jobs, context):
    """Job ids that would run for this context, assuming every job that runs succeeds."""
    state = {}

    def run(job_id):
        if job_id not in state:
            job = jobs[job_id]
            needs = job.get("needs", [])
            needs = [needs] if isinstance(needs, str) else needs
            needs_ok = all(run(need) for need in needs)
            condition = job.get("if")
            if condition is None:
                state[job_id] = needs_ok
            else:
                text = str(condition)
                uses_status = re.search(r"\b(always|failure|cancelled|success)\s*\(", text)
                if not needs_ok and not uses_status:
                    state[job_id] = False  # an implicit success() in front of the condition
                else:
                    state[job_id] = truthy(evaluate(text, context, "success" if needs_ok else "failure"))
        return state[job_id]

    return {job_id for job_id in jobs if run(job_id)}
