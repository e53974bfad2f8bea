"""star spend: paid broadcast messages per bot and month

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 22:00:00

Telegram's paid broadcasts cost 0.1 Star a message past the free 30 a second; the office caps
what a bot may spend in a calendar month (PAID_BROADCAST_MONTHLY_STARS). Every process that
sends with the bot counts its paid messages in this one row, atomically.
"""

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'star_spend',
        sa.Column('bot_id', sa.BigInteger(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('messages', sa.Integer(), server_default='0', nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('bot_id', 'month', name=op.f('pk_star_spend')),
    )


def downgrade() -> None:
    op.drop_table('star_spend')
