"""Schemathesis hooks for scripts/api-conformance.sh.

The OpenAPI document marks a 居民身份证号码 with the custom format `cn-resident-id` (18
characters whose last is the GB 11643 check digit, which no JSON Schema pattern can state).
This teaches schemathesis to generate such numbers, so requests it generates from the
document as valid are valid for the server too.
"""

import schemathesis
from hypothesis import strategies as st

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def with_check_digit(digits: str) -> str:
    total = sum(int(d) * w for d, w in zip(digits, WEIGHTS))
    return digits + CHECK[total % 11]


# The report checker's `url` (format `report-url`): addresses the server refuses at once
# without a network (loopback, private, link-local), so a run never waits on the Internet.
schemathesis.openapi.format(
    "report-url",
    st.sampled_from(
        [
            "http://127.0.0.1:9/2024.pdf",
            "http://10.0.0.1/nb/2024.html",
            "http://169.254.169.254/latest/meta-data/",
            "https://[::1]/r.docx",
        ]
    ),
)

schemathesis.openapi.format(
    "cn-resident-id",
    st.text("0123456789", min_size=17, max_size=17).map(with_check_digit),
)
