-- Sources schema, version 4, SQLite: no Orleans reminders. Health checks are driven by the due
-- time in each source's own row (sources_source.due_at, claimed by the sweep) and no grain
-- registers a reminder, so the reminder service is not configured: its table and statements go.

DROP TABLE sources_reminder;

DELETE FROM OrleansQuery WHERE QueryKey IN (
    'UpsertReminderRowKey', 'ReadReminderRowKey', 'ReadReminderRowsKey', 'ReadRangeRows1Key',
    'ReadRangeRows2Key', 'DeleteReminderRowKey', 'DeleteReminderRowsKey');
