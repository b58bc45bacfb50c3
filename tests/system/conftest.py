"""The system tier: the real CLI and server in their own processes (killed with -9 on purpose), servers on
loopback and a browser. The canary corpus fixtures come from the security tier."""

from tests.security.conftest import (  # noqa: F401 - fixtures shared with the security tier
    canary_bot,
    canary_root,
    canary_services,
    canary_settings,
    minilm_canary_bot,
)
