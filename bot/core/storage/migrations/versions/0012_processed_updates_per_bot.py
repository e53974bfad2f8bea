"""processed updates are keyed on the bot id and the update id

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 08:10:00

Update ids are counted per bot; keyed on update_id alone, a second bot (or the console's
fresh emulator) on the same database had every update skipped as "already handled". The
old claims cannot be attributed to a bot and are dropped: they only guard against a
redelivery within Telegram's 24 hours, and the bot is stopped while it migrates.
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def _create(with_bot: bool) -> None:
    columns = [sa.Column('bot_id', sa.BigInteger(), autoincrement=False, nullable=False)] \
        if with_bot else []
    keys = ['bot_id', 'update_id'] if with_bot else ['update_id']
    op.create_table(
        'processed_updates', *columns,
        sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(*keys, name=op.f('pk_processed_updates')))
    op.create_index(op.f('ix_processed_updates_processed_at'), 'processed_updates',
                    ['processed_at'], unique=False)


def _drop() -> None:
    op.drop_index(op.f('ix_processed_updates_processed_at'), table_name='processed_updates')
    op.drop_table('processed_updates')


def upgrade() -> None:
    _drop()
    _create(with_bot=True)


def downgrade() -> None:
    _drop()
    _create(with_bot=False)
