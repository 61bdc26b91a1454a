# Language access (issue 15). A pool member's languages move to community's one language model: `person` links the
# member to a pool community.Person (0004 fills it from the old `languages` list, 0005 removes the list). The
# capacity gap score gets a `language` component: the commune's language-coverage gap, None where community has no
# language data (then left out of the score), and its weight.

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("staffing", "0002_plan_messages_as_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="staffmember",
            name="person",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="pool_member",
                to="community.person",
                verbose_name="hồ sơ ngôn ngữ",
            ),
        ),
        migrations.AddField(
            model_name="capacityrecord",
            name="language_gap",
            field=models.FloatField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(1),
                ],
                verbose_name="thiếu người nói tiếng dân tộc (0–1)",
            ),
        ),
        migrations.AddField(
            model_name="gapweights",
            name="w_language",
            field=models.FloatField(
                default=1.0,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="trọng số thiếu người nói tiếng dân tộc",
            ),
        ),
    ]
