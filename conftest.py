"""Root conftest: pytester lets the test suite run journeytest the way users do."""

pytest_plugins = ("pytester",)
