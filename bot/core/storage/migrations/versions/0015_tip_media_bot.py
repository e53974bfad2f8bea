"""tip media: the bot that received the file

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 14:40:00

A Telegram file id is valid only for the bot it was sent to: with regional bots, an officer
served by another bot than the reporter's got no photo. Old rows keep NULL (the default bot),
which is what they were received by unless regional bots were set up before this version.
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tip_media') as batch:
        batch.add_column(sa.Column('bot_key', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tip_media') as batch:
        batch.drop_column('bot_key')
