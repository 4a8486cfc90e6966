"""kudos: the one-time token of the form that sent them, unique per giver (no double kudos)

Revision ID: 0012_kudos_submit_token
Revises: 0011_engagement_snapshots
Create Date: 2026-12-04 16:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_kudos_submit_token'
down_revision = '0011_engagement_snapshots'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('kudos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submit_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_kudos_submit_token', ['from_id', 'submit_token'])


def downgrade():
    with op.batch_alter_table('kudos', schema=None) as batch_op:
        batch_op.drop_constraint('uq_kudos_submit_token', type_='unique')
        batch_op.drop_column('submit_token')
