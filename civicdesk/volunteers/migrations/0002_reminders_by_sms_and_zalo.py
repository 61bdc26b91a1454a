from django.db import migrations, models


def reminders_so_far_were_emails(apps, schema_editor):
    # Before this migration every reminder went by e-mail.
    Booking = apps.get_model("volunteers", "Booking")
    Booking.objects.filter(reminded_at__isnull=False).update(reminder_channel="email")


class Migration(migrations.Migration):

    dependencies = [
        ('volunteers', '0001_volunteers_shifts_bookings_help'),
    ]

    operations = [
        migrations.AddField(
            model_name='booking',
            name='reminder_channel',
            field=models.CharField(blank=True, choices=[('email', 'Thư điện tử'), ('sms', 'Tin nhắn SMS'), ('zalo', 'Zalo')], max_length=5, verbose_name='đã nhắc qua'),
        ),
        migrations.AddField(
            model_name='volunteer',
            name='reminder_channel',
            field=models.CharField(choices=[('email', 'Thư điện tử'), ('sms', 'Tin nhắn SMS'), ('zalo', 'Zalo')], default='email', help_text='SMS và Zalo gửi đến số điện thoại; không gửi được thì nhắc qua thư điện tử.', max_length=5, verbose_name='nhận nhắc lịch qua'),
        ),
        migrations.RunPython(reminders_so_far_were_emails, migrations.RunPython.noop),
    ]
