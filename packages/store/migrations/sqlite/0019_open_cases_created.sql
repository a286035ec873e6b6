-- Open cases in creation order (issue 18): the province's 超期清单 (open overdue cases, oldest
-- first, over 111 jurisdictions) walked cases_created past every closed case: 2 s at 2,000,000
-- cases (packages/store/bench/province.ts), under 1 ms with this index.
CREATE INDEX `cases_open_created` ON `cases` (`created_at_ms`,`id`) WHERE "cases"."status" = 'active';
