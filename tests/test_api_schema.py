"""The OpenAPI schema says what the API returns: a field that can be null is nullable (every
serializer field reaching through an empty relation), the figures are a list per office, and
an office's hours are plain times of day (tests/test_api_fuzz.py checks the answers at large)."""

import importlib

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import serializers

from estate.api_urls import router

API_MODULES = sorted({viewset.__module__ for _prefix, viewset, _name in router.registry})


def _model_serializers():
    for name in API_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, serializers.ModelSerializer)
                and value.__module__ == name
            ):
                yield value


def _may_be_empty(model, source):
    """Whether following ``source`` (``household.unit.address``) from ``model`` can meet a null."""
    for name in source.split("."):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # a property: it answers for itself
        if not field.concrete:
            return False  # a reverse relation: a list, empty or not
        if field.null:
            return True
        if not isinstance(field, models.ForeignKey | models.OneToOneField):
            return False
        model = field.related_model
    return False


SERIALIZERS = sorted(_model_serializers(), key=lambda s: s.__name__)


def test_the_walk_finds_the_serializers():
    names = {serializer.__name__ for serializer in SERIALIZERS}
    assert {"WorkOrderSerializer", "ContactSerializer", "OpinionItemSerializer"} <= names


@pytest.mark.parametrize("serializer", SERIALIZERS, ids=lambda s: s.__name__)
def test_every_field_through_an_empty_relation_is_nullable(serializer):
    model = serializer.Meta.model
    for name, field in serializer().fields.items():
        if isinstance(field, serializers.ManyRelatedField | serializers.SerializerMethodField):
            continue
        if field.source != "*" and _may_be_empty(model, field.source):
            assert field.allow_null, f"{serializer.__name__}.{name} can be null"


@pytest.fixture
def schema(client, reception):
    client.force_login(reception)
    return client.get("/api/schema/?format=json").json()


def test_the_figures_are_a_list_per_office_and_in_the_total(schema):
    figures = schema["components"]["schemas"]
    assert figures["OfficeFigures"]["properties"]["figures"]["type"] == "array"
    assert figures["TotalFigures"]["properties"]["figures"]["type"] == "array"


def test_office_hours_are_times_of_day_without_an_offset(schema):
    opens = schema["components"]["schemas"]["Office"]["properties"]["opens_at"]
    assert "format" not in opens
    assert opens["pattern"].startswith("^[0-9]{2}:[0-9]{2}")


def test_the_figures_answer_matches_its_schema(api, november, head):
    import time_machine

    from tests.figures_fixtures import at

    api.force_authenticate(user=head)
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        body = api.get("/api/v1/figures/", {"period": "2026-11"}).json()
    assert isinstance(body["offices"][0]["figures"], list)
    assert isinstance(body["total"]["figures"], list)
    assert {"measure", "value", "target", "met"} <= set(body["total"]["figures"][0])
