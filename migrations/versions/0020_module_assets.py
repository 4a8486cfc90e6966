"""module assets: images uploaded in the editor; a reason kept with a long module's publish

Revision ID: 0020_module_assets
Revises: 0019_review_cards
Create Date: 2026-12-05 07:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_module_assets'
down_revision = "0019_review_cards"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'module_assets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('module_id', sa.Integer(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('filename', sa.String(length=120), nullable=False),
        sa.Column('content_type', sa.String(length=32), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['module_id'], ['modules.id'],
                                name=op.f('fk_module_assets_module_id_modules'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                                name=op.f('fk_module_assets_uploaded_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_module_assets')),
    )
    with op.batch_alter_table('module_assets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_assets_module_id'), ['module_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_module_assets_uploaded_by_id'), ['uploaded_by_id'],
                              unique=False)
    with op.batch_alter_table('module_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish_note', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('module_versions', schema=None) as batch_op:
        batch_op.drop_column('publish_note')
    with op.batch_alter_table('module_assets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_assets_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_module_assets_module_id'))
    op.drop_table('module_assets')
