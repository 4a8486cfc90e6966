"""version precompute: what the module page shows that is the same for everyone, kept with
the version (module_versions.page_data) and the stamp that says when it is stale

Existing versions start without page_data: the module page computes and stores it on the
first view (learnpath/modules/page_data.py), as it does after every change of the stamp.

Revision ID: 0021_version_precompute
Revises: 0020_module_assets
Create Date: 2026-12-05 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_version_precompute'
down_revision = "0020_module_assets"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('module_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_data', sa.JSON(), nullable=True))
    stamps = op.create_table(
        'module_page_stamps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_module_page_stamps')),
    )
    op.bulk_insert(stamps, [{'id': 1, 'value': 1}])


def downgrade():
    op.drop_table('module_page_stamps')
    with op.batch_alter_table('module_versions', schema=None) as batch_op:
        batch_op.drop_column('page_data')
