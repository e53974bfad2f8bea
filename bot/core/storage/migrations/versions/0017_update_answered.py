"""update answered: an update claimed but never answered is known after a crash

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 01:45:00

An update id is claimed before it is handled, so that a redelivery is not handled twice. A
process killed while handling it left it claimed, and the redelivery was skipped: the villager
got no answer at all. `answered` is set once the update was handled; a redelivered update that
is claimed but not answered gets a short apology asking to send it again. Rows from before this
column were answered (server default true).
"""

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('processed_updates') as batch:
        batch.add_column(sa.Column('answered', sa.Boolean(), server_default=sa.true(),
                                   nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('processed_updates') as batch:
        batch.drop_column('answered')
