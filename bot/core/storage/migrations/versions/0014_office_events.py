"""office events: the audit log of invites, joins, revocations, sign-ins and sign-outs

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 11:20:00

Only tips had an audit log; what officers and admins did to the office's people and who
signed in to the dashboard was nowhere. Nothing to backfill: the log starts with this version.
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'office_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('actor', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'],
                                name=op.f('fk_office_events_office_id_offices')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_office_events')))
    op.create_index(op.f('ix_office_events_office_id'), 'office_events', ['office_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_office_events_office_id'), table_name='office_events')
    op.drop_table('office_events')
