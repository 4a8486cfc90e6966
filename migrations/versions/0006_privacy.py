"""privacy: personal-data registry, audit log, retention aggregates

Revision ID: 0006_privacy
Revises: 0005_engagement
Create Date: 2026-11-23 16:05:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_privacy'
down_revision = '0005_engagement'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('org_settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_org_settings'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('target', sa.String(length=40), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_target'), ['target'], unique=False)

    op.create_table('engagement_folds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=10), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('indicator_sum', sa.Float(), nullable=False),
    sa.Column('rhythm_sum', sa.Float(), nullable=False),
    sa.Column('rhythm_n', sa.Integer(), nullable=False),
    sa.Column('progress_sum', sa.Float(), nullable=False),
    sa.Column('progress_n', sa.Integer(), nullable=False),
    sa.Column('voice_sum', sa.Float(), nullable=False),
    sa.Column('voice_n', sa.Integer(), nullable=False),
    sa.Column('recognition_sum', sa.Float(), nullable=False),
    sa.Column('recognition_n', sa.Integer(), nullable=False),
    sa.Column('engaged', sa.Integer(), nullable=False),
    sa.Column('neutral', sa.Integer(), nullable=False),
    sa.Column('at_risk', sa.Integer(), nullable=False),
    sa.Column('learned', sa.Integer(), nullable=False),
    sa.Column('promoter', sa.Integer(), nullable=False),
    sa.Column('passive', sa.Integer(), nullable=False),
    sa.Column('detractor', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_engagement_folds_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_folds'))
    )
    with op.batch_alter_table('engagement_folds', schema=None) as batch_op:
        batch_op.create_index('ix_engagement_folds_period_team', ['period', 'team_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pseudonym', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    # Existing people get a random pseudonym each (never derived from their name or e-mail).
    conn = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('pseudonym', sa.String))
    for (user_id,) in conn.execute(sa.select(users.c.id)).all():
        conn.execute(users.update().where(users.c.id == user_id)
                     .values(pseudonym='p-' + secrets.token_hex(8)))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('pseudonym', existing_type=sa.String(length=40), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_pseudonym'), ['pseudonym'])



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_pseudonym'), type_='unique')
        batch_op.drop_column('erased_at')
        batch_op.drop_column('pseudonym')

    with op.batch_alter_table('engagement_folds', schema=None) as batch_op:
        batch_op.drop_index('ix_engagement_folds_period_team')

    op.drop_table('engagement_folds')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_target'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_actor_id'))

    op.drop_table('audit_log')
    op.drop_table('org_settings')
