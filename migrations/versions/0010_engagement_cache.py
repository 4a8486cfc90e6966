"""engagement cache: the generation raised by every change that can alter past team figures

Revision ID: 0010_engagement_cache
Revises: 0009_perf
Create Date: 2026-11-23 17:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_engagement_cache'
down_revision = '0009_perf'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'engagement_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_generation')),
    )
    op.bulk_insert(table, [{'id': 1, 'value': 0}])


def downgrade():
    op.drop_table('engagement_generation')
