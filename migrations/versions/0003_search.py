"""search: catalog version stamp and change log

Revision ID: 0003_search
Revises: 39de4b1cba42
Create Date: 2026-11-23 12:00:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_search'
down_revision = '39de4b1cba42'
branch_labels = None
depends_on = None


def upgrade():
    stamp = op.create_table('catalog_stamp',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('epoch', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('pruned_through', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_stamp'))
    )
    op.create_table('catalog_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_changes'))
    )
    with op.batch_alter_table('catalog_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_changes_version'), ['version'], unique=False)

    # A fresh epoch: every existing host index predates it, so each host rebuilds once.
    op.bulk_insert(stamp, [{'id': 1, 'epoch': secrets.token_hex(16), 'version': 0,
                            'pruned_through': 0}])


def downgrade():
    with op.batch_alter_table('catalog_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_changes_version'))

    op.drop_table('catalog_changes')
    op.drop_table('catalog_stamp')
