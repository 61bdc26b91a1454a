# Plan messages are stored as {"code", "params"} and rendered in the reader's language (issue 14). The field is
# renamed to what it now holds, `message_codes`, but keeps its column: nothing changes in the database, and the
# plain sentences of plans solved before stay readable (civicdesk.staffing.plan_messages renders both).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("staffing", "0001_capacity_pool_plans_secondments"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(model_name="plan", old_name="messages", new_name="message_codes"),
                migrations.AlterField(
                    model_name="plan",
                    name="message_codes",
                    field=models.JSONField(blank=True, db_column="messages", default=list),
                ),
            ],
            database_operations=[],
        ),
    ]
