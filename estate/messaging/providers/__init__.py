"""Mainland SMS providers, each spoken to through its published HTTP API with the standard
library (docs/decisions/0011-sms-providers.md): Alibaba Cloud (``aliyun.AliyunSms``) and
Tencent Cloud (``tencent.TencentSms``)."""
