-- AlterTable
ALTER TABLE "integration_mappings" ALTER COLUMN "external_updated_at" SET DATA TYPE TIMESTAMPTZ(6);
