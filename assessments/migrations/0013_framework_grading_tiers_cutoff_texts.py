# The grading scale, tier sizes, cutoff rule and texts move from code onto the framework.
# Frameworks loaded before this migration are the 2023 framework of the sample data: they get
# the values that were code constants until now (A 90 %, B 80 %, C 70 %, D 60 %, else F; ten
# places in Tier I and in Tier III; law enacted as of July 1 of the cycle year).

from django.db import migrations, models

SCALE_2023 = [
    {"grade": "A", "minimum_percent": "90"},
    {"grade": "B", "minimum_percent": "80"},
    {"grade": "C", "minimum_percent": "70"},
    {"grade": "D", "minimum_percent": "60"},
    {"grade": "F", "minimum_percent": "0"},
]


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0012_review_and_approval_bases"),
    ]

    operations = [
        migrations.AddField(
            model_name="framework",
            name="grading_scale",
            field=models.JSONField(
                default=SCALE_2023,
                help_text='Best grade first: [{"grade": "A", "minimum_percent": "90"}, …, '
                '{"grade": "F", "minimum_percent": "0"}].',
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="framework",
            name="tier_top",
            field=models.PositiveSmallIntegerField(
                default=10, help_text="Places in Tier I (the top)."
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="framework",
            name="tier_bottom",
            field=models.PositiveSmallIntegerField(
                default=10, help_text="Places in Tier III (the bottom)."
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="framework",
            name="cutoff_month",
            field=models.PositiveSmallIntegerField(
                default=7,
                help_text="Law enacted by this month and day of the cycle year is graded.",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="framework",
            name="cutoff_day",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="framework",
            name="cutoff_rule",
            field=models.CharField(
                default="Legislation enacted as of July 1 of the cycle year is graded.",
                help_text="The rule in words.",
                max_length=200,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="framework",
            name="texts",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Methodology notes, resources and calls to action of the framework.",
            ),
        ),
        migrations.AddField(
            model_name="framework",
            name="illustrative",
            field=models.BooleanField(
                default=False, help_text="An example framework whose texts are placeholders."
            ),
        ),
        migrations.AddField(
            model_name="framework",
            name="note",
            field=models.TextField(blank=True, help_text="Where the file's content comes from."),
        ),
        migrations.AddField(
            model_name="framework",
            name="content_sha256",
            field=models.CharField(
                blank=True,
                help_text="Of the loaded file's content: loading the same content again is a no-op.",
                max_length=64,
            ),
        ),
        migrations.AddField(
            model_name="policygoal",
            name="issue_brief_url",
            field=models.URLField(blank=True, max_length=500),
        ),
    ]
