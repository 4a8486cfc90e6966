"""sign-in: invitation and reset links, invited/last sign-in, SSO identities, SCIM

Revision ID: 0013_sign_in
Revises: 0012_kudos_submit_token
Create Date: 2026-12-04 16:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_sign_in'
down_revision = '0012_kudos_submit_token'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sign_in_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=16), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("purpose IN ('invitation', 'reset')",
                           name=op.f('ck_sign_in_links_known_purpose')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_sign_in_links_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_sign_in_links_token_hash')),
    )
    op.create_index(op.f('ix_sign_in_links_user_id'), 'sign_in_links', ['user_id'], unique=False)
    op.create_table(
        'sso_identities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_sso_identities_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_identities')),
        sa.UniqueConstraint('issuer', 'subject', name='uq_sso_identities_issuer_subject'),
    )
    op.create_index(op.f('ix_sso_identities_user_id'), 'sso_identities', ['user_id'],
                    unique=False)
    op.create_table(
        'scim_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_scim_tokens_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scim_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_scim_tokens_token_hash')),
    )
    op.create_index(op.f('ix_scim_tokens_created_by_id'), 'scim_tokens', ['created_by_id'],
                    unique=False)
    op.create_table(
        'scim_resources',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('resource_type', sa.String(length=16), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'],
                                name=op.f('fk_scim_resources_team_id_teams'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_scim_resources_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scim_resources')),
        sa.UniqueConstraint('user_id', name=op.f('uq_scim_resources_user_id')),
    )
    op.create_index(op.f('ix_scim_resources_team_id'), 'scim_resources', ['team_id'],
                    unique=False)
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('last_login_at')
        batch_op.drop_column('invited_at')
    op.drop_index(op.f('ix_scim_resources_team_id'), table_name='scim_resources')
    op.drop_table('scim_resources')
    op.drop_index(op.f('ix_scim_tokens_created_by_id'), table_name='scim_tokens')
    op.drop_table('scim_tokens')
    op.drop_index(op.f('ix_sso_identities_user_id'), table_name='sso_identities')
    op.drop_table('sso_identities')
    op.drop_index(op.f('ix_sign_in_links_user_id'), table_name='sign_in_links')
    op.drop_table('sign_in_links')
