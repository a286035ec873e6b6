CREATE TABLE `kpi_counters` (
	`jurisdiction` text NOT NULL,
	`day` integer NOT NULL,
	`flow_key` text NOT NULL,
	`channel` text NOT NULL,
	`category` text NOT NULL,
	`urgency` text NOT NULL,
	`status` text NOT NULL,
	`received` integer DEFAULT 0 NOT NULL,
	`closed` integer DEFAULT 0 NOT NULL,
	`resolved` integer DEFAULT 0 NOT NULL,
	`first_time` integer DEFAULT 0 NOT NULL,
	`on_time` integer DEFAULT 0 NOT NULL,
	`evaluated` integer DEFAULT 0 NOT NULL,
	`satisfied` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`jurisdiction`, `day`, `flow_key`, `channel`, `category`, `urgency`, `status`)
);
--> statement-breakpoint
CREATE TABLE `kpi_repeated_later` (
	`case_id` text PRIMARY KEY NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- The cases stored before the counters existed, counted as `lianxin kpi rebuild`
-- counts them (rebuildStatements in src/kpi-counters.ts; a store test checks the two agree).
insert into kpi_repeated_later (case_id) select c.id from cases c where c.petitioner_id is not null and exists (select 1 from cases c2 where c2.petitioner_id = c.petitioner_id and c2.repeat = 1 and c2.created_at_ms > c.created_at_ms);
--> statement-breakpoint
insert into kpi_counters (jurisdiction, day, flow_key, channel, category, urgency, status, received, closed, resolved, first_time, on_time, evaluated, satisfied) select c.jurisdiction, cast((c.created_at_ms + 28800000) / 86400000 as integer), c.flow_key, c.channel, coalesce(c.category, ''), coalesce(c.urgency, ''), c.status, count(*), 0, 0, 0, 0, 0, 0 from cases c where true group by 1, 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
insert into kpi_counters (jurisdiction, day, flow_key, channel, category, urgency, status, received, closed, resolved, first_time, on_time, evaluated, satisfied) select c.jurisdiction, cast((c.closed_at_ms + 28800000) / 86400000 as integer), c.flow_key, c.channel, coalesce(c.category, ''), coalesce(c.urgency, ''), c.status, 0, count(*), sum(case when c.outcome = 'resolved' then 1 else 0 end), sum(case when c.outcome = 'resolved' and c.repeat <> 1 and not exists (select 1 from kpi_repeated_later r where r.case_id = c.id) then 1 else 0 end), sum(case when c.late = 1 then 0 else 1 end), count(coalesce(e.score, c.visit_satisfaction)), sum(case when coalesce(e.score, c.visit_satisfaction) >= 4 then 1 else 0 end) from cases c left join evaluations e on e.case_id = c.id where c.status = 'closed' and c.closed_at_ms is not null group by 1, 2, 3, 4, 5, 6, 7 on conflict (jurisdiction, day, flow_key, channel, category, urgency, status) do update set closed = excluded.closed, resolved = excluded.resolved, first_time = excluded.first_time, on_time = excluded.on_time, evaluated = excluded.evaluated, satisfied = excluded.satisfied;
