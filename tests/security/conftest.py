"""The deploy secrets tests reuse the TLS emulator and the CLI wiring of tests/deploy."""

from tests.deploy.conftest import ca, ca_file, cli, deploy_env, emulator, server_context  # noqa: F401
