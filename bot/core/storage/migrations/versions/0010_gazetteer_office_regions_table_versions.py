"""villages get a postal code; offices cover regencies; table versions for in-memory indexes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 08:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, as in 0006: a batch rebuild of `villages` would drop a table that
    # subscriptions, tips and campaigns reference.
    op.add_column('villages', sa.Column('postal_code', sa.String(length=10), nullable=False,
                                        server_default=''))
    op.create_table(
        'office_regions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('regency', sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'],
                                name=op.f('fk_office_regions_office_id_offices')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_office_regions')),
        sa.UniqueConstraint('regency', name=op.f('uq_office_regions_regency')),
    )
    op.create_index(op.f('ix_office_regions_office_id'), 'office_regions', ['office_id'],
                    unique=False)
    versions = op.create_table(
        'table_versions',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_table_versions')),
    )
    op.bulk_insert(versions, [{'name': 'villages', 'version': 0},
                              {'name': 'agencies', 'version': 0}])


def downgrade() -> None:
    op.drop_table('table_versions')
    op.drop_index(op.f('ix_office_regions_office_id'), table_name='office_regions')
    op.drop_table('office_regions')
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.drop_column('postal_code')
