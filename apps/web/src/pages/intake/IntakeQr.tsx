import { PrinterOutlined } from '@ant-design/icons';
import { Button, Empty, Modal, Select, Space, Typography } from 'antd';
import QRCode from 'qrcode';
import { type ReactNode, useEffect, useState } from 'react';
import type { Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { api, pick } from '../workbench/api';

/** The public URL of a flow's intake page. */
export const intakeUrl = (jurisdiction: string, flowKey: string) =>
  `${window.location.origin}${window.location.pathname}#/intake/${encodeURIComponent(flowKey)}?j=${jurisdiction}`;

/** 网上信访二维码: pick a flow that takes online petitions, show and print its QR code. */
export function IntakeQrButton({ me, icon }: { me: Me; icon?: ReactNode }) {
  const { lang } = useLang();
  const [open, setOpen] = useState(false);
  const jurisdictions = [...new Set(me.memberships.map((m) => m.jurisdiction))];
  const [j, setJ] = useState(jurisdictions[0] ?? '');
  const [flows, setFlows] =
    useState<
      { key: string; name: unknown; office: { name: unknown; fullName: unknown } | null }[]
    >();
  /** A jurisdiction by its name (台山市), never its code. */
  const placeName = (code: string) =>
    pick(me.memberships.find((m) => m.jurisdiction === code)?.jurisdictionName, lang) ||
    tr(lang, '本辖区', 'this jurisdiction');
  const [key, setKey] = useState<string>();
  const [svg, setSvg] = useState('');
  useEffect(() => {
    if (!open || !j) return;
    api()
      .intake.forms.query({ jurisdiction: j })
      .then((f) => {
        setFlows(f);
        setKey(f[0]?.key);
      })
      .catch(() => setFlows([]));
  }, [open, j]);
  useEffect(() => {
    if (!key) return setSvg('');
    void QRCode.toString(intakeUrl(j, key), { type: 'svg', margin: 1, width: 240 }).then(setSvg);
  }, [j, key]);
  const flow = flows?.find((f) => f.key === key);
  const office = flow?.office ? pick(flow.office.fullName, lang) : placeName(j);
  return (
    <>
      <Button icon={icon} onClick={() => setOpen(true)} data-testid="intake-qr">
        {tr(lang, '网上信访二维码', 'Intake QR code')}
      </Button>
      <Modal
        open={open}
        onCancel={() => setOpen(false)}
        title={tr(lang, '网上信访二维码', 'Online petition QR code')}
        footer={
          <Button
            icon={<PrinterOutlined />}
            type="primary"
            disabled={!svg}
            onClick={() =>
              printQr(svg, pick(flow?.name, lang), office, intakeUrl(j, key ?? ''), lang)
            }
          >
            {tr(lang, '打印', 'Print')}
          </Button>
        }
      >
        <Space wrap style={{ marginBottom: 12 }}>
          {jurisdictions.length > 1 && (
            <Select
              value={j}
              onChange={setJ}
              style={{ width: 120 }}
              options={jurisdictions.map((c) => ({ value: c, label: placeName(c) }))}
            />
          )}
          <Select
            value={key}
            onChange={setKey}
            style={{ width: 280 }}
            loading={!flows}
            options={(flows ?? []).map((f) => ({ value: f.key, label: pick(f.name, lang) }))}
          />
        </Space>
        {flows && flows.length === 0 ? (
          <Empty
            description={tr(
              lang,
              '没有接受网上信访的已发布流程',
              'No published flow takes online petitions',
            )}
          />
        ) : (
          <div style={{ textAlign: 'center' }}>
            {flow && (
              <Typography.Title level={5} data-testid="qr-office">
                {tr(lang, `${office} 网上信访`, `Online petition · ${office}`)}
              </Typography.Title>
            )}
            {/* biome-ignore lint/security/noDangerouslySetInnerHtml: SVG generated locally by qrcode */}
            <div dangerouslySetInnerHTML={{ __html: svg }} data-testid="qr-svg" />
            {key && (
              <Typography.Paragraph
                copyable
                className="wb-muted"
                style={{ wordBreak: 'break-all' }}
                data-testid="qr-url"
              >
                {intakeUrl(j, key)}
              </Typography.Paragraph>
            )}
          </div>
        )}
      </Modal>
    </>
  );
}

function printQr(svg: string, title: string, office: string, url: string, lang: 'zh-CN' | 'en') {
  const w = window.open('', '_blank', 'width=600,height=800');
  if (!w) return;
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  w.document.write(
    `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title><body style="font-family:sans-serif;text-align:center;padding:40px">` +
      `<h1>${esc(office)}</h1><h1>${lang === 'en' ? 'Online petition' : '网上信访'}</h1><h2>${esc(title)}</h2><div style="width:320px;margin:auto">${svg}</div>` +
      `<p>${lang === 'en' ? 'Scan with your phone to submit a petition' : '微信或手机浏览器扫码，在线提交信访事项'}</p><p style="font-size:12px;color:#666">${esc(url)}</p>` +
      `<script>setTimeout(()=>print(),300)</script></body>`,
  );
  w.document.close();
}
