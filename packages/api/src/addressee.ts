import type { SupervisionAddressee } from '@lianxin/engine';
import { supervisionAddressees } from '@lianxin/store';
import type { Context } from './context';
import { apiError } from './errors';

/**
 * A supervision order's addressee must exist where the case is handled (its
 * jurisdiction, above or below it): a department someone active belongs to,
 * or an active user posted there. Checked before `case.supervise` reaches the
 * engine, whichever procedure sends it; `supervision.addressee` otherwise.
 */
export async function checkAddressee(
  ctx: Context,
  caseJurisdiction: string,
  to: SupervisionAddressee,
): Promise<void> {
  if (to.kind === 'assignees') return;
  const tree = ctx.services.tree;
  const where = new Set([
    ...(await tree.above(caseJurisdiction)),
    ...(await tree.below(caseJurisdiction)),
  ]);
  const { departments, users } = await supervisionAddressees(ctx.store.database, [...where]);
  const found =
    to.kind === 'department'
      ? departments.some(
          (d) => d.jurisdiction === to.jurisdiction && d.department === to.department,
        )
      : users.some((u) => u.id === to.userId);
  if (found) return;
  throw apiError('supervision.addressee', {
    detail:
      to.kind === 'department'
        ? `本事项所属辖区及上下级没有部门“${to.department}”的在职人员`
        : '该用户不在本事项所属辖区及上下级任职',
    detailEn:
      to.kind === 'department'
        ? `no active staff of department "${to.department}" where this case is handled`
        : 'that user holds no post where this case is handled',
  });
}
