// The station's setup pages, side by side: its details (identity), its settings (how logs are
// built, approved and reconciled) and its connections (LibreTime, AzuraCast).
import { NavLink } from '@remix-run/react';

export function SettingsTabs({ station }: { station: string }) {
  const base = `/stations/${encodeURIComponent(station)}/settings`;
  return (
    <nav aria-label="Station setup" className="settings-tabs">
      <NavLink to={base} end>
        Station details
      </NavLink>
      <NavLink to={`${base}/station`}>Settings</NavLink>
      <NavLink to={`${base}/connections`}>Connections</NavLink>
    </nav>
  );
}
