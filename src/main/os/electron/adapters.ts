import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { app, globalShortcut, Menu, nativeImage, net, Notification, powerMonitor, Tray } from 'electron';
import type { HotkeyPort, LoginItemPort, NotificationPort, PowerPort, TrayPort } from '../ports';
import { withBadgeDot } from '../tray-badge';
import type { TrayIcon } from '../tray-model';

/** The tray: draws a TrayModel computed in src/main/os/tray-model.ts. */
export function createElectronTray(resourcesDir: string): TrayPort {
  const images = new Map<string, Electron.NativeImage>();
  const image = (icon: TrayIcon, badged: boolean) => {
    const key = `${icon}${badged ? '+badge' : ''}`;
    let found = images.get(key);
    if (!found) {
      const plain = nativeImage.createFromPath(join(resourcesDir, 'tray', `${icon}.png`));
      const size = plain.getSize();
      // Open tasks: a dot on the icon (no tray overlay exists on Windows/Linux); an empty image stays as it is.
      found = badged && !plain.isEmpty() ? nativeImage.createFromBitmap(withBadgeDot(plain.toBitmap(), size.width, size.height), size) : plain;
      images.set(key, found);
    }
    return found;
  };
  let tray: Tray | undefined;
  return {
    render(model, onMenuItem) {
      const icon = image(model.icon, model.badge !== null);
      tray ??= new Tray(icon);
      tray.setImage(icon);
      // macOS shows text beside the tray icon: the count itself. The dock / launcher badge too (macOS, Linux Unity).
      if (process.platform === 'darwin') tray.setTitle(model.badge ?? '');
      app.setBadgeCount(model.badge === null ? 0 : Number.parseInt(model.badge, 10));
      tray.setToolTip(model.tooltip);
      tray.setContextMenu(
        Menu.buildFromTemplate(
          model.menu.flatMap((item) => [
            ...(item.id === 'quit' || item.id === 'alerts' ? [{ type: 'separator' as const }] : []),
            { label: item.label, enabled: item.enabled, click: () => onMenuItem(item.id) },
          ]),
        ),
      );
    },
    destroy() {
      tray?.destroy();
      tray = undefined;
    },
  };
}

export function createElectronNotifications(): NotificationPort {
  const open = new Map<string, Notification>();
  return {
    supported: Notification.isSupported(),
    show(notification, onClick) {
      open.get(notification.id)?.close();
      const shown = new Notification({
        title: notification.title,
        body: notification.body,
        silent: notification.silent,
        urgency: notification.urgent ? 'critical' : 'normal',
        timeoutType: notification.urgent ? 'never' : 'default',
      });
      shown.on('click', onClick);
      shown.on('close', () => open.delete(notification.id));
      open.set(notification.id, shown);
      shown.show();
    },
    close(id) {
      open.get(id)?.close();
      open.delete(id);
    },
  };
}

export function createElectronHotkeys(): HotkeyPort {
  return {
    supported: true,
    register(accelerator, handler) {
      try {
        return globalShortcut.register(accelerator, handler);
      } catch {
        return false;
      }
    },
    unregister(accelerator) {
      globalShortcut.unregister(accelerator);
    },
  };
}

/**
 * Start at login. macOS and Windows through Electron; Linux (which Electron does not cover) by the
 * XDG autostart convention: a .desktop file in ~/.config/autostart.
 */
export function createElectronLoginItem(): LoginItemPort {
  if (process.platform !== 'linux') {
    return { supported: true, set: (openAtLogin) => app.setLoginItemSettings({ openAtLogin, args: ['--hidden'] }) };
  }
  const dir = join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart');
  const file = join(dir, 'aesthetix-softphone.desktop');
  return {
    supported: true,
    set(openAtLogin) {
      if (!openAtLogin) {
        if (existsSync(file)) rmSync(file);
        return;
      }
      mkdirSync(dir, { recursive: true });
      const exec = process.env.APPIMAGE ?? process.execPath;
      writeFileSync(
        file,
        ['[Desktop Entry]', 'Type=Application', 'Name=Aesthetix Softphone', `Exec="${exec}" --hidden`, 'X-GNOME-Autostart-enabled=true', ''].join('\n'),
      );
    },
  };
}

/** Resume from sleep, screen unlock, and the network coming back (polled: Electron has no event for it). */
export function createElectronPower(pollMs = 3_000): PowerPort {
  return {
    onWake(listener) {
      const resume = () => listener('resume');
      const unlock = () => listener('unlock');
      powerMonitor.on('resume', resume);
      powerMonitor.on('unlock-screen', unlock);
      let online = net.isOnline();
      const timer = setInterval(() => {
        const now = net.isOnline();
        if (now && !online) listener('online');
        online = now;
      }, pollMs);
      timer.unref();
      return () => {
        powerMonitor.off('resume', resume);
        powerMonitor.off('unlock-screen', unlock);
        clearInterval(timer);
      };
    },
  };
}
