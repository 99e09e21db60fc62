"""Retraction and legal removal: two statuses, and the retraction's time and public note."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0023_search_vector_inline'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='retracted_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='retracted at'),
        ),
        migrations.AddField(
            model_name='article',
            name='retraction_note',
            field=models.TextField(blank=True, editable=False, help_text="Shown to readers at the story's address: why the story was retracted.", verbose_name='retraction note'),
        ),
        migrations.AlterField(
            model_name='article',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('scheduled', 'Scheduled'), ('published', 'Published'), ('unpublished', 'Unpublished'), ('retracted', 'Retracted'), ('removed', 'Removed (legal)')], db_index=True, default='draft', max_length=12, verbose_name='status'),
        ),
    ]
