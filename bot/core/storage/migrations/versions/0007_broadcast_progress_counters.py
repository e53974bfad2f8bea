"""broadcast progress counters; deliveries claimed by one process

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 08:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

COUNTERS = ('sent_count', 'failed_count', 'unknown_count')


def upgrade() -> None:
    # Progress kept as counters, updated with each outcome, instead of counting every delivery
    # of the broadcast after every send (8.8 ms a send at 10,000 recipients, 679 ms at 1M).
    for name in COUNTERS:
        op.add_column('broadcasts', sa.Column(name, sa.Integer(), nullable=False,
                                              server_default='0'))
    op.add_column('deliveries', sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("""
        UPDATE broadcasts SET
          sent_count = (SELECT count(*) FROM deliveries d
                        WHERE d.broadcast_id = broadcasts.id AND d.status = 'sent'),
          failed_count = (SELECT count(*) FROM deliveries d
                          WHERE d.broadcast_id = broadcasts.id
                          AND d.status IN ('failed', 'blocked')),
          unknown_count = (SELECT count(*) FROM deliveries d
                           WHERE d.broadcast_id = broadcasts.id AND d.status = 'unknown')
    """)


def downgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        for name in COUNTERS:
            batch_op.drop_column(name)
