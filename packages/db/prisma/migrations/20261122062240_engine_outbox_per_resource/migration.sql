-- DropIndex
DROP INDEX "change_outbox_table_name_id_idx";

-- AlterTable
ALTER TABLE "sync_resources" ADD COLUMN     "options" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "change_outbox" ADD COLUMN     "resource_id" UUID NOT NULL;

-- CreateTable
CREATE TABLE "rate_limit_events" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rate_limit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "rate_limit_events_key_at_idx" ON "rate_limit_events"("key", "at");

-- CreateIndex
CREATE INDEX "change_outbox_resource_id_id_idx" ON "change_outbox"("resource_id", "id");

-- AddForeignKey
ALTER TABLE "change_outbox" ADD CONSTRAINT "change_outbox_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "sync_resources"("id") ON DELETE CASCADE ON UPDATE CASCADE;
