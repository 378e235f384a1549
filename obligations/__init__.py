"""obligations: a formal treaty-obligation rules engine."""

__version__ = "0.1.0"
