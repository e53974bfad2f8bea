"""web dashboard: sign-in links, sessions, office admins, reviewed questions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 08:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs: a batch rebuild of a referenced table breaks on SQLite (see 0006).
    op.add_column('officers', sa.Column('is_admin', sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    op.add_column('unanswered_questions', sa.Column('reviewed', sa.Boolean(), nullable=False,
                                                    server_default=sa.false()))
    op.create_table(
        'web_logins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('telegram_id', sa.BigInteger(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_web_logins')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_web_logins_token_hash')),
    )
    op.create_table(
        'web_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('csrf', sa.String(length=64), nullable=False),
        sa.Column('telegram_id', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_web_sessions_token_hash')),
    )
    op.create_index(op.f('ix_web_sessions_telegram_id'), 'web_sessions', ['telegram_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_web_sessions_telegram_id'), table_name='web_sessions')
    op.drop_table('web_sessions')
    op.drop_table('web_logins')
    with op.batch_alter_table('unanswered_questions', schema=None) as batch_op:
        batch_op.drop_column('reviewed')
    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.drop_column('is_admin')
