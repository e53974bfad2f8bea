"""villages, offices and people belong to one of the deployment's bots

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 11:20:00

Regional bots (BOT_TOKENS) share one database. A village's lessons and quizzes and an
office's alerts go out through the bot named by `bot_key`; NULL is the default bot, so the
rows of a single-token setup need no change. `people.bot_key` is the bot a person last wrote
to: messages queued for them (an officer's question, a tip's status) go through that bot.
`deliveries.bot_key` is the village's bot, fixed when the delivery is stored, so each bot's
sender claims its own deliveries with one indexed condition.
Plain ADD COLUMNs: a batch rebuild of a referenced table fails on SQLite with foreign keys.
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None
TABLES = ('villages', 'offices', 'people', 'deliveries')


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('bot_key', sa.String(length=32), nullable=True))
    op.create_index(op.f('ix_villages_bot_key'), 'villages', ['bot_key'], unique=False)
    op.create_index('ix_deliveries_bot_key_status', 'deliveries', ['bot_key', 'status'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_deliveries_bot_key_status', table_name='deliveries')
    op.drop_index(op.f('ix_villages_bot_key'), table_name='villages')
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('bot_key')
