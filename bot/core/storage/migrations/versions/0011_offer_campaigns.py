"""offer campaigns: texts, contacts, checks, events

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 08:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'offer_campaigns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('merged_into', sa.Integer(), nullable=True),
        sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
        sa.Column('verdict_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_offer_campaigns')))
    op.create_index(op.f('ix_offer_campaigns_status'), 'offer_campaigns', ['status'])
    op.create_table(
        'campaign_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=True),
        sa.Column('office_id', sa.Integer(), nullable=True),
        sa.Column('risk', sa.String(length=10), nullable=False),
        sa.Column('signature', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('contacts', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['offer_campaigns.id'],
                                name=op.f('fk_campaign_texts_campaign_id_offer_campaigns')),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'],
                                name=op.f('fk_campaign_texts_office_id_offices')),
        sa.ForeignKeyConstraint(['village_id'], ['villages.id'],
                                name=op.f('fk_campaign_texts_village_id_villages')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_texts')))
    for column in ('campaign_id', 'office_id', 'created_at'):
        op.create_index(op.f(f'ix_campaign_texts_{column}'), 'campaign_texts', [column])
    op.create_table(
        'campaign_contacts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['offer_campaigns.id'],
                                name=op.f('fk_campaign_contacts_campaign_id_offer_campaigns')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_contacts')),
        sa.UniqueConstraint('campaign_id', 'kind', 'value',
                            name=op.f('uq_campaign_contacts_campaign_id')))
    op.create_index(op.f('ix_campaign_contacts_campaign_id'), 'campaign_contacts', ['campaign_id'])
    op.create_index(op.f('ix_campaign_contacts_value'), 'campaign_contacts', ['value'])
    op.create_table(
        'campaign_checks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('chat_id', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['campaign_id'], ['offer_campaigns.id'],
                                name=op.f('fk_campaign_checks_campaign_id_offer_campaigns')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_checks')),
        sa.UniqueConstraint('campaign_id', 'chat_id', name=op.f('uq_campaign_checks_campaign_id')))
    for column in ('campaign_id', 'chat_id', 'created_at'):
        op.create_index(op.f(f'ix_campaign_checks_{column}'), 'campaign_checks', [column])
    op.create_table(
        'campaign_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=True),
        sa.Column('actor', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['offer_campaigns.id'],
                                name=op.f('fk_campaign_events_campaign_id_offer_campaigns')),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'],
                                name=op.f('fk_campaign_events_office_id_offices')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_events')))
    op.create_index(op.f('ix_campaign_events_campaign_id'), 'campaign_events', ['campaign_id'])


def downgrade() -> None:
    for table in ('campaign_events', 'campaign_checks', 'campaign_contacts', 'campaign_texts',
                  'offer_campaigns'):
        op.drop_table(table)
