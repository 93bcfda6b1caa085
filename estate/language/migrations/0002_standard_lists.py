"""The company's standard lists from the seed: the recommended phrases and the forbidden ones."""

from django.db import migrations

from estate.language.standard import ensure_standard_lists


def create_standard_lists(apps, schema_editor):
    ensure_standard_lists(apps.get_model("language", "Phrase"), apps.get_model("language", "ForbiddenPhrase"))


def remove_standard_lists(apps, schema_editor):
    apps.get_model("language", "Phrase").objects.filter(office__isnull=True).delete()
    apps.get_model("language", "ForbiddenPhrase").objects.filter(office__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("language", "0001_phrase_lists")]

    operations = [migrations.RunPython(create_standard_lists, remove_standard_lists)]
