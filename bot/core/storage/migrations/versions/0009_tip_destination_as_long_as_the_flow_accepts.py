"""tips.destination as long as the reporting flow accepts (500 characters)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 08:30:00

The flow kept up to 500 characters of the destination, the column held 120: on PostgreSQL a
longer destination made the tip impossible to send. SQLite does not enforce VARCHAR lengths,
so only PostgreSQL's column changes (a batch rebuild of `tips` would meet its foreign keys).
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column('tips', 'destination', type_=sa.String(500),
                        existing_type=sa.String(120), existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column('tips', 'destination', type_=sa.String(120),
                        existing_type=sa.String(500), existing_nullable=False,
                        postgresql_using="left(destination, 120)")
