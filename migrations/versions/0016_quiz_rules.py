"""quiz rules: a question's kind (single, multiple, fill) and attempts whose answers were revealed

Revision ID: 0016_quiz_rules
Revises: 0015_module_identity
Create Date: 2026-12-05 07:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_quiz_rules'
down_revision = '0015_module_identity'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=8), nullable=False,
                                      server_default='single'))
    # Questions stored so far were choice questions; several correct options made them multiple.
    op.execute("UPDATE questions SET kind = 'multiple' WHERE multiple")
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revealed', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_column('revealed')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('kind')
