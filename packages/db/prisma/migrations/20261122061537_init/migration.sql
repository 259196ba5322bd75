-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "IntegrationType" AS ENUM ('SMARTSHEET', 'GOOGLE_SHEETS', 'WEBFLOW', 'SMARTSUITE', 'ASANA', 'HUBSPOT', 'TRELLO', 'MONDAY', 'CLICKUP', 'TOGGL', 'HARVEST', 'CLOCKIFY', 'SALESFORCE', 'GENERIC_REST', 'IN_DATABASE');

-- CreateEnum
CREATE TYPE "IntegrationStatus" AS ENUM ('ACTIVE', 'PAUSED', 'ERROR', 'DEGRADED', 'DISABLED');

-- CreateEnum
CREATE TYPE "AuthType" AS ENUM ('NONE', 'API_KEY', 'BEARER_TOKEN', 'BASIC_AUTH', 'OAUTH2', 'SERVICE_ACCOUNT');

-- CreateEnum
CREATE TYPE "SyncDirection" AS ENUM ('PUSH', 'PULL', 'BIDIRECTIONAL');

-- CreateEnum
CREATE TYPE "SyncFrequency" AS ENUM ('REALTIME', 'EVERY_15_MIN', 'EVERY_30_MIN', 'HOURLY', 'DAILY', 'WEEKLY', 'MANUAL');

-- CreateEnum
CREATE TYPE "ConflictStrategy" AS ENUM ('LATEST_WINS', 'LOCAL_WINS', 'EXTERNAL_WINS', 'MANUAL_REVIEW', 'CUSTOM_MERGE');

-- CreateEnum
CREATE TYPE "DeletePolicy" AS ENUM ('DELETE', 'CANCEL', 'IGNORE');

-- CreateEnum
CREATE TYPE "MappingStatus" AS ENUM ('SYNCED', 'PENDING_SYNC', 'ERROR', 'FAILED', 'CONFLICT', 'DELETED');

-- CreateEnum
CREATE TYPE "ChangeOperation" AS ENUM ('INSERT', 'UPDATE', 'DELETE');

-- CreateEnum
CREATE TYPE "SyncOperation" AS ENUM ('CREATE', 'UPDATE', 'DELETE', 'BULK_SYNC', 'WEBHOOK_RECEIVED');

-- CreateEnum
CREATE TYPE "SyncLogStatus" AS ENUM ('SUCCESS', 'PARTIAL_SUCCESS', 'FAILED', 'SKIPPED', 'RETRYING', 'CONFLICT_RESOLVED', 'CONFLICT_PENDING');

-- CreateEnum
CREATE TYPE "ConflictStatus" AS ENUM ('PENDING', 'RESOLVED', 'IGNORED', 'AUTO_RESOLVED');

-- CreateEnum
CREATE TYPE "JobType" AS ENUM ('CHANGE_PUSH', 'SCHEDULED_SYNC', 'MANUAL_SYNC', 'INITIAL_IMPORT', 'WEBHOOK_BATCH', 'RETRY', 'CLEANUP', 'HEALTH_CHECK');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('PENDING', 'RUNNING', 'COMPLETED', 'PARTIAL', 'FAILED', 'CANCELLED', 'PENDING_CONFIRMATION');

-- CreateEnum
CREATE TYPE "WebhookEventStatus" AS ENUM ('RECEIVED', 'PROCESSING', 'PROCESSED', 'FAILED', 'IGNORED');

-- CreateEnum
CREATE TYPE "AlertSeverity" AS ENUM ('INFO', 'WARNING', 'CRITICAL');

-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('OPEN', 'ACKNOWLEDGED', 'RESOLVED');

-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('ADMIN', 'STAFF', 'VIEWER');

-- CreateTable
CREATE TABLE "integrations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "type" "IntegrationType" NOT NULL,
    "status" "IntegrationStatus" NOT NULL DEFAULT 'ACTIVE',
    "base_url" TEXT,
    "auth_type" "AuthType" NOT NULL DEFAULT 'NONE',
    "credentials_enc" TEXT,
    "credentials_key_id" TEXT,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "direction" "SyncDirection" NOT NULL DEFAULT 'PUSH',
    "frequency" "SyncFrequency" NOT NULL DEFAULT 'REALTIME',
    "conflict_strategy" "ConflictStrategy" NOT NULL DEFAULT 'LATEST_WINS',
    "webhook_secret_enc" TEXT,
    "webhook_secret_key_id" TEXT,
    "polling_enabled" BOOLEAN NOT NULL DEFAULT true,
    "next_sync_at" TIMESTAMPTZ(3),
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "last_sync_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "last_error_at" TIMESTAMPTZ(3),
    "last_error_message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "integrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_resources" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integration_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "resource_type" TEXT NOT NULL,
    "local_schema" TEXT NOT NULL DEFAULT 'public',
    "local_table" TEXT NOT NULL,
    "local_key_column" TEXT NOT NULL,
    "external_object" TEXT NOT NULL,
    "external_key_field" TEXT,
    "direction" "SyncDirection" NOT NULL DEFAULT 'PUSH',
    "frequency" "SyncFrequency",
    "conflict_strategy" "ConflictStrategy",
    "delete_policy" "DeletePolicy" NOT NULL DEFAULT 'IGNORE',
    "field_mappings" JSONB NOT NULL DEFAULT '[]',
    "sync_conditions" JSONB,
    "custom_merge_rules" JSONB,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "cursor" TEXT,
    "cursor_updated_at" TIMESTAMPTZ(3),
    "last_sync_at" TIMESTAMPTZ(3),
    "discovered_fields" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sync_resources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "integration_mappings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integration_id" UUID NOT NULL,
    "resource_id" UUID NOT NULL,
    "internal_id" TEXT NOT NULL,
    "external_id" TEXT,
    "status" "MappingStatus" NOT NULL DEFAULT 'SYNCED',
    "last_local_hash" TEXT,
    "last_external_hash" TEXT,
    "base_data" JSONB,
    "external_updated_at" TIMESTAMPTZ(3),
    "last_synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_retry_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "integration_mappings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_outbox" (
    "id" BIGSERIAL NOT NULL,
    "table_name" TEXT NOT NULL,
    "row_key" TEXT NOT NULL,
    "op" "ChangeOperation" NOT NULL,
    "origin" TEXT,
    "txid" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_logs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integration_id" UUID NOT NULL,
    "resource_id" UUID,
    "job_execution_id" UUID,
    "operation" "SyncOperation" NOT NULL,
    "direction" "SyncDirection" NOT NULL,
    "resource_type" TEXT NOT NULL,
    "record_id" TEXT,
    "external_id" TEXT,
    "status" "SyncLogStatus" NOT NULL,
    "records_processed" INTEGER NOT NULL DEFAULT 0,
    "records_succeeded" INTEGER NOT NULL DEFAULT 0,
    "records_failed" INTEGER NOT NULL DEFAULT 0,
    "error_code" TEXT,
    "error_message" TEXT,
    "http_status" INTEGER,
    "duration_ms" INTEGER,
    "retry_count" INTEGER NOT NULL DEFAULT 0,
    "request_payload" JSONB,
    "response_payload" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conflict_resolutions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integration_id" UUID NOT NULL,
    "resource_id" UUID,
    "resource_type" TEXT NOT NULL,
    "internal_id" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "local_data" JSONB NOT NULL,
    "external_data" JSONB NOT NULL,
    "base_data" JSONB,
    "conflicted_fields" TEXT[],
    "conflict_reason" TEXT,
    "status" "ConflictStatus" NOT NULL DEFAULT 'PENDING',
    "resolution_strategy" "ConflictStrategy",
    "resolved_data" JSONB,
    "resolved_by_id" UUID,
    "resolved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conflict_resolutions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_executions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integration_id" UUID,
    "resource_id" UUID,
    "job_type" "JobType" NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'PENDING',
    "direction" "SyncDirection",
    "trigger" TEXT,
    "queue_job_id" TEXT,
    "total" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "conflicts" INTEGER NOT NULL DEFAULT 0,
    "added" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "error_message" TEXT,
    "error_details" JSONB,
    "scheduled_for" TIMESTAMPTZ(3),
    "retry_count" INTEGER NOT NULL DEFAULT 0,
    "max_retries" INTEGER NOT NULL DEFAULT 5,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "job_executions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integration_id" UUID NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "event_type" TEXT,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "raw_body" TEXT NOT NULL,
    "status" "WebhookEventStatus" NOT NULL DEFAULT 'RECEIVED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "occurred_at" TIMESTAMPTZ(3),
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integration_id" UUID,
    "rule" TEXT NOT NULL,
    "severity" "AlertSeverity" NOT NULL DEFAULT 'WARNING',
    "status" "AlertStatus" NOT NULL DEFAULT 'OPEN',
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "details" JSONB,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "before" JSONB,
    "after" JSONB,
    "ip" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT,
    "password_hash" TEXT,
    "role" "UserRole" NOT NULL DEFAULT 'VIEWER',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "profiles" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "full_name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'student',
    "organization" TEXT,
    "profile_visibility" TEXT NOT NULL DEFAULT 'public',
    "qr_scanning_enabled" BOOLEAN NOT NULL DEFAULT true,
    "messaging_enabled" BOOLEAN NOT NULL DEFAULT true,
    "linkedin_url" TEXT,
    "github_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "profiles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "title" TEXT NOT NULL,
    "speaker" TEXT,
    "track" TEXT,
    "start_time" TIMESTAMPTZ(3) NOT NULL,
    "end_time" TIMESTAMPTZ(3),
    "location" TEXT,
    "capacity" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rsvps" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'attending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rsvps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "connections" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "scanner_id" UUID NOT NULL,
    "scanned_id" UUID NOT NULL,
    "connection_method" TEXT NOT NULL DEFAULT 'qr_scan',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "connections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer" (
    "customer_id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "email" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "contact" (
    "contact_id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "customer_id" UUID,
    "first_name" TEXT NOT NULL,
    "last_name" TEXT,
    "email" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_pkey" PRIMARY KEY ("contact_id")
);

-- CreateTable
CREATE TABLE "interaction" (
    "interaction_id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "interaction_type" VARCHAR(20) NOT NULL,
    "subject" VARCHAR(255),
    "interaction_date" TIMESTAMPTZ(3),
    "customer_id" UUID,
    "contact_id" UUID,
    "opportunity_id" UUID,
    "location" VARCHAR(255),
    "description" TEXT,
    "duration_minutes" INTEGER,
    "direction" VARCHAR(20),
    "medium" VARCHAR(50),
    "outcome" VARCHAR(100),
    "sentiment" VARCHAR(20),
    "importance" INTEGER,
    "private_notes" TEXT,
    "created_by" UUID NOT NULL,
    "updated_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "calendar_synced_at" TIMESTAMPTZ(3),

    CONSTRAINT "interaction_pkey" PRIMARY KEY ("interaction_id")
);

-- CreateTable
CREATE TABLE "calendar_events" (
    "event_id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "title" VARCHAR(255) NOT NULL,
    "description" TEXT,
    "event_date" TIMESTAMPTZ(3) NOT NULL,
    "start_time" TIME(0),
    "end_time" TIME(0),
    "all_day" BOOLEAN NOT NULL DEFAULT false,
    "event_type" VARCHAR(50) NOT NULL,
    "event_status" VARCHAR(20) NOT NULL DEFAULT 'scheduled',
    "related_table" VARCHAR(50),
    "related_id" UUID,
    "location" VARCHAR(255),
    "participants" TEXT[],
    "created_by" UUID NOT NULL,
    "updated_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "synced_from" VARCHAR(50),
    "last_synced_at" TIMESTAMPTZ(3),

    CONSTRAINT "calendar_events_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "members" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "first_name" TEXT NOT NULL,
    "last_name" TEXT,
    "email" TEXT NOT NULL,
    "phone" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "role" TEXT,
    "external_sync_enabled" BOOLEAN NOT NULL DEFAULT true,
    "last_external_sync_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tasks" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "title" TEXT NOT NULL,
    "description" TEXT,
    "status" TEXT NOT NULL DEFAULT 'todo',
    "completed" BOOLEAN NOT NULL DEFAULT false,
    "priority" TEXT,
    "due_date" TIMESTAMPTZ(3),
    "assignee_id" UUID,
    "external_sync_enabled" BOOLEAN NOT NULL DEFAULT true,
    "last_external_sync_at" TIMESTAMPTZ(3),
    "external_metadata" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "participation_logs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "member_id" UUID NOT NULL,
    "activity" TEXT NOT NULL,
    "hours" DECIMAL(8,2) NOT NULL,
    "occurred_on" DATE NOT NULL,
    "notes" TEXT,
    "external_source" TEXT,
    "external_id" TEXT,
    "last_external_sync_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "participation_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contacts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "first_name" TEXT,
    "last_name" TEXT,
    "phone" TEXT,
    "company" TEXT,
    "title" TEXT,
    "notes" TEXT,
    "source" TEXT NOT NULL DEFAULT 'google_sheets',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "integrations_status_idx" ON "integrations"("status");

-- CreateIndex
CREATE INDEX "integrations_type_idx" ON "integrations"("type");

-- CreateIndex
CREATE INDEX "integrations_status_next_sync_at_idx" ON "integrations"("status", "next_sync_at");

-- CreateIndex
CREATE INDEX "sync_resources_local_schema_local_table_idx" ON "sync_resources"("local_schema", "local_table");

-- CreateIndex
CREATE UNIQUE INDEX "sync_resources_integration_id_name_key" ON "sync_resources"("integration_id", "name");

-- CreateIndex
CREATE INDEX "integration_mappings_integration_id_status_idx" ON "integration_mappings"("integration_id", "status");

-- CreateIndex
CREATE INDEX "integration_mappings_status_next_retry_at_idx" ON "integration_mappings"("status", "next_retry_at");

-- CreateIndex
CREATE UNIQUE INDEX "integration_mappings_resource_id_internal_id_key" ON "integration_mappings"("resource_id", "internal_id");

-- CreateIndex
CREATE UNIQUE INDEX "integration_mappings_resource_id_external_id_key" ON "integration_mappings"("resource_id", "external_id");

-- CreateIndex
CREATE INDEX "change_outbox_table_name_id_idx" ON "change_outbox"("table_name", "id");

-- CreateIndex
CREATE INDEX "change_outbox_created_at_idx" ON "change_outbox"("created_at");

-- CreateIndex
CREATE INDEX "sync_logs_integration_id_created_at_idx" ON "sync_logs"("integration_id", "created_at");

-- CreateIndex
CREATE INDEX "sync_logs_integration_id_status_created_at_idx" ON "sync_logs"("integration_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "sync_logs_job_execution_id_idx" ON "sync_logs"("job_execution_id");

-- CreateIndex
CREATE INDEX "sync_logs_record_id_idx" ON "sync_logs"("record_id");

-- CreateIndex
CREATE INDEX "sync_logs_created_at_idx" ON "sync_logs"("created_at");

-- CreateIndex
CREATE INDEX "conflict_resolutions_integration_id_status_idx" ON "conflict_resolutions"("integration_id", "status");

-- CreateIndex
CREATE INDEX "conflict_resolutions_status_created_at_idx" ON "conflict_resolutions"("status", "created_at");

-- CreateIndex
CREATE INDEX "conflict_resolutions_resource_id_internal_id_idx" ON "conflict_resolutions"("resource_id", "internal_id");

-- CreateIndex
CREATE INDEX "job_executions_integration_id_created_at_idx" ON "job_executions"("integration_id", "created_at");

-- CreateIndex
CREATE INDEX "job_executions_resource_id_created_at_idx" ON "job_executions"("resource_id", "created_at");

-- CreateIndex
CREATE INDEX "job_executions_status_idx" ON "job_executions"("status");

-- CreateIndex
CREATE INDEX "job_executions_job_type_created_at_idx" ON "job_executions"("job_type", "created_at");

-- CreateIndex
CREATE INDEX "webhook_events_status_received_at_idx" ON "webhook_events"("status", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_events_integration_id_dedupe_key_key" ON "webhook_events"("integration_id", "dedupe_key");

-- CreateIndex
CREATE INDEX "alerts_status_created_at_idx" ON "alerts"("status", "created_at");

-- CreateIndex
CREATE INDEX "alerts_integration_id_rule_created_at_idx" ON "alerts"("integration_id", "rule", "created_at");

-- CreateIndex
CREATE INDEX "audit_events_entity_type_entity_id_idx" ON "audit_events"("entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_created_at_idx" ON "audit_events"("actor_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_events_created_at_idx" ON "audit_events"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "profiles_email_key" ON "profiles"("email");

-- CreateIndex
CREATE INDEX "rsvps_session_id_status_idx" ON "rsvps"("session_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "rsvps_user_id_session_id_key" ON "rsvps"("user_id", "session_id");

-- CreateIndex
CREATE INDEX "connections_scanner_id_idx" ON "connections"("scanner_id");

-- CreateIndex
CREATE INDEX "connections_scanned_id_idx" ON "connections"("scanned_id");

-- CreateIndex
CREATE INDEX "interaction_interaction_date_idx" ON "interaction"("interaction_date");

-- CreateIndex
CREATE INDEX "interaction_calendar_synced_at_idx" ON "interaction"("calendar_synced_at");

-- CreateIndex
CREATE INDEX "calendar_events_event_date_idx" ON "calendar_events"("event_date");

-- CreateIndex
CREATE INDEX "calendar_events_created_by_idx" ON "calendar_events"("created_by");

-- CreateIndex
CREATE INDEX "calendar_events_event_status_idx" ON "calendar_events"("event_status");

-- CreateIndex
CREATE UNIQUE INDEX "calendar_events_related_table_related_id_key" ON "calendar_events"("related_table", "related_id");

-- CreateIndex
CREATE UNIQUE INDEX "members_email_key" ON "members"("email");

-- CreateIndex
CREATE INDEX "tasks_assignee_id_idx" ON "tasks"("assignee_id");

-- CreateIndex
CREATE INDEX "tasks_updated_at_idx" ON "tasks"("updated_at");

-- CreateIndex
CREATE INDEX "participation_logs_member_id_idx" ON "participation_logs"("member_id");

-- CreateIndex
CREATE INDEX "participation_logs_external_source_external_id_idx" ON "participation_logs"("external_source", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "contacts_email_key" ON "contacts"("email");

-- AddForeignKey
ALTER TABLE "sync_resources" ADD CONSTRAINT "sync_resources_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "integration_mappings" ADD CONSTRAINT "integration_mappings_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "integration_mappings" ADD CONSTRAINT "integration_mappings_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "sync_resources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_logs" ADD CONSTRAINT "sync_logs_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_logs" ADD CONSTRAINT "sync_logs_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "sync_resources"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_logs" ADD CONSTRAINT "sync_logs_job_execution_id_fkey" FOREIGN KEY ("job_execution_id") REFERENCES "job_executions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conflict_resolutions" ADD CONSTRAINT "conflict_resolutions_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conflict_resolutions" ADD CONSTRAINT "conflict_resolutions_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "sync_resources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conflict_resolutions" ADD CONSTRAINT "conflict_resolutions_resolved_by_id_fkey" FOREIGN KEY ("resolved_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_executions" ADD CONSTRAINT "job_executions_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_executions" ADD CONSTRAINT "job_executions_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "sync_resources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_id_fkey" FOREIGN KEY ("acknowledged_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rsvps" ADD CONSTRAINT "rsvps_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "profiles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rsvps" ADD CONSTRAINT "rsvps_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "event_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "connections" ADD CONSTRAINT "connections_scanner_id_fkey" FOREIGN KEY ("scanner_id") REFERENCES "profiles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "connections" ADD CONSTRAINT "connections_scanned_id_fkey" FOREIGN KEY ("scanned_id") REFERENCES "profiles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("customer_id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interaction" ADD CONSTRAINT "interaction_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("customer_id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interaction" ADD CONSTRAINT "interaction_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("contact_id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "members"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participation_logs" ADD CONSTRAINT "participation_logs_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "members"("id") ON DELETE CASCADE ON UPDATE CASCADE;
