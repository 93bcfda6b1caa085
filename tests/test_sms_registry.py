"""The SMS template registry: a template is saved only when its parameters are the message's
placeholders and, with a real provider, the template's own variables at the provider."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from estate.messaging.choices import Kind
from estate.messaging.forms import SmsTemplateForm
from estate.messaging.models import SmsTemplate
from estate.messaging.registry import register_sms_template
from estate.messaging.sms import compose, sms_gateway
from tests.sms_fixtures import SIGN_NAME

pytestmark = pytest.mark.django_db


def register(office, by, *, template_code, parameters, kind=Kind.RECEIVED):
    return register_sms_template(
        office=office,
        kind=kind,
        sign_name=SIGN_NAME,
        template_code=template_code,
        parameters=parameters,
        by=by,
    )


def refusal(error: ValidationError, field: str = "parameters") -> str:
    return " ".join(str(m) for m in error.message_dict[field])


def test_console_gateway_checks_only_the_placeholders(bsw, head):
    saved = register(bsw, head, template_code="ANY", parameters=["number", "subject"])
    assert saved.checked_at is None  # the console knows no templates: nothing to check with

    with pytest.raises(ValidationError) as refused:
        register(bsw, head, template_code="ANY", parameters=["number", "amount"])
    assert "amount" in refusal(refused.value)


def test_aliyun_template_matching_the_provider_is_registered_and_checked(bsw, head, aliyun):
    saved = register(bsw, head, template_code="SMS_480001", parameters=["number", "subject"])
    assert saved.checked_at is not None
    assert SmsTemplate.objects.get(office=bsw, kind=Kind.RECEIVED).parameters == [
        "number",
        "subject",
    ]


def test_aliyun_parameter_the_template_lacks_is_named(bsw, head, aliyun):
    with pytest.raises(ValidationError) as refused:
        register(bsw, head, template_code="SMS_480001", parameters=["number", "subject", "link"])
    assert "link" in refusal(refused.value)
    assert not SmsTemplate.objects.exists()


def test_aliyun_variable_estate_would_not_fill_is_named(bsw, head, aliyun):
    with pytest.raises(ValidationError) as refused:
        register(bsw, head, template_code="SMS_480001", parameters=["number"])
    assert "subject" in refusal(refused.value)


def test_aliyun_template_the_provider_does_not_know_is_refused(bsw, head, aliyun):
    with pytest.raises(ValidationError) as refused:
        register(bsw, head, template_code="SMS_999999", parameters=["number"])
    assert refusal(refused.value, "template_code")


def test_tencent_parameters_are_compared_by_count(bsw, head, tencent):
    with pytest.raises(ValidationError) as too_many:
        register(bsw, head, template_code="2001001", parameters=["number", "subject", "link"])
    assert "link" in refusal(too_many.value)
    with pytest.raises(ValidationError) as too_few:
        register(bsw, head, template_code="2001001", parameters=["number"])
    assert "{2}" in refusal(too_few.value)

    saved = register(bsw, head, template_code="2001001", parameters=["number", "subject"])
    assert saved.checked_at is not None


def test_form_refuses_naming_the_parameter_and_keeps_what_was_typed(bsw, head, aliyun):
    form = SmsTemplateForm(
        data={
            "office": bsw.pk,
            "kind": Kind.COMPLETED,
            "sign_name": SIGN_NAME,
            "template_code": "SMS_480002",
            "parameters": "number, fee",
        }
    )
    assert not form.is_valid()
    assert "fee" in " ".join(form.errors["parameters"])
    assert form["parameters"].value() == "number, fee"


def test_form_registers_through_the_action(bsw, head, aliyun):
    form = SmsTemplateForm(
        data={
            "office": bsw.pk,
            "kind": Kind.COMPLETED,
            "sign_name": SIGN_NAME,
            "template_code": "SMS_480002",
            "parameters": "number，work_done",
        }
    )
    assert form.is_valid(), form.errors
    saved = form.register(by=head)
    assert (saved.parameters, saved.checked_at is not None) == (["number", "work_done"], True)
    assert len([r for r in aliyun.requests if r["Action"] == "GetSmsTemplate"]) == 1


def test_admin_saves_a_checked_template(bsw, aliyun, client, django_user_model):
    admin_user = django_user_model.objects.create_superuser(
        username="root", password="root-pass-0123", display_name="root"
    )
    client.force_login(admin_user)
    page = client.post(
        "/admin/messaging/smstemplate/add/",
        {
            "office": bsw.pk,
            "kind": Kind.SIGN_IN_CODE,
            "sign_name": SIGN_NAME,
            "template_code": "SMS_480003",
            "parameters": "code",
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    saved = SmsTemplate.objects.get(office=bsw, kind=Kind.SIGN_IN_CODE)
    assert saved.checked_at is not None

    refused = client.post(
        "/admin/messaging/smstemplate/add/",
        {
            "office": bsw.pk,
            "kind": Kind.RATE,
            "sign_name": SIGN_NAME,
            "template_code": "SMS_480003",
            "parameters": "number",
        },
    )
    assert refused.status_code == 200
    assert "number" in refused.content.decode()
    assert not SmsTemplate.objects.filter(kind=Kind.RATE).exists()


def test_registered_template_is_what_goes_to_the_provider(bsw, head, aliyun):
    register(bsw, head, template_code="SMS_480001", parameters=["number", "subject"])
    sms = compose(
        office_id=bsw.pk,
        kind=Kind.RECEIVED,
        phone="138 1234 1234",
        text="…",
        values={"number": "BSW-2612-0001", "subject": "廚房水管漏水", "link": "x"},
        key="estate-message-7",
    )
    sms_gateway().send(sms)
    [sent] = aliyun.sent
    assert sent.parameters == {"number": "BSW-2612-0001", "subject": "廚房水管漏水"}
