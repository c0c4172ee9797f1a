from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0002_post_images"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="post",
            name="post_visible_newest_idx",
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(fields=["-created_date", "-id", "user", "is_hidden"], name="post_newest_idx"),
        ),
    ]
