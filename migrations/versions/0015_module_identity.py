"""module identity: a module is (source key, language); language holds BCP 47 tags

Revision ID: 0015_module_identity
Revises: 0014_check_ins
Create Date: 2026-12-04 17:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_module_identity'
down_revision = '0014_check_ins'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=8),
                              type_=sa.String(length=35), existing_nullable=False)
        batch_op.add_column(sa.Column('source_key', sa.String(length=120), nullable=True))
    # Modules imported so far were keyed by their slug alone.
    op.execute("UPDATE modules SET source_key = slug")
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_modules_source_key_language',
                                          ['source_key', 'language'])
    with op.batch_alter_table('module_versions', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=8),
                              type_=sa.String(length=35), existing_nullable=False)


def downgrade():
    with op.batch_alter_table('module_versions', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=35),
                              type_=sa.String(length=8), existing_nullable=False)
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.drop_constraint('uq_modules_source_key_language', type_='unique')
        batch_op.drop_column('source_key')
        batch_op.alter_column('language', existing_type=sa.String(length=35),
                              type_=sa.String(length=8), existing_nullable=False)
