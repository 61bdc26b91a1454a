# The old free-text list of languages, now held by community.PersonLanguage through StaffMember.person (0004).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("staffing", "0004_pool_languages_to_community"),
    ]

    operations = [
        migrations.RemoveField(model_name="staffmember", name="languages"),
    ]
