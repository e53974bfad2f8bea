"""scale out: broadcast progress counters, deliveries claimed by one process, conversation state

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


    # What a person's conversation is waiting for (PTB's user_data), shared by every bot
    # process and forgotten after `expires_at` (bot/domain/messaging/conversation_state.py).
    op.create_table(
        'conversation_states',
        sa.Column('person_id', sa.BigInteger(), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('person_id'),
    )
    op.create_index('ix_conversation_states_expires_at', 'conversation_states', ['expires_at'])


def downgrade() -> None:
    op.drop_index('ix_conversation_states_expires_at', table_name='conversation_states')
    op.drop_table('conversation_states')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        for name in COUNTERS:
            batch_op.drop_column(name)
