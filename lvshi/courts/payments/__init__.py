"""Paying court fees (C3): one provider interface, the signed formats of the
WeChat Pay and Alipay notifications, and a simulated provider for
development and tests."""
