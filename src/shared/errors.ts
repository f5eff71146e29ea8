// Error codes and the sentences a technician reads, in every UI language.
// One table (as Etcher's lib/shared/errors.ts): code -> message. Messages say what happened and what
// to do next. `{detail}` is filled with a short, secret-free detail when there is one.

export const errorMessages = {
  INVALID_INPUT: {
    en: 'That input is not valid: {detail}',
    zh: '输入无效：{detail}'
  },
  UNKNOWN_METHOD: {
    en: 'EdgeDock does not know the action "{detail}". Update the app so both sides match.',
    zh: 'EdgeDock 不认识操作"{detail}"。请更新应用，使两端版本一致。'
  },
  UNAUTHORIZED: {
    en: 'Not allowed: open the station link with its token (printed when the station started).',
    zh: '无权访问：请使用工作站启动时打印的带令牌链接打开。'
  },
  DEVICE_NOT_FOUND: {
    en: 'No device "{detail}" in the inventory. Check the name or run "edgedock devices list".',
    zh: '设备清单中没有"{detail}"。请检查名称，或运行 "edgedock devices list"。'
  },
  DEVICE_EXISTS: {
    en: 'A device at {detail} is already in the inventory.',
    zh: '设备清单中已有位于 {detail} 的设备。'
  },
  DEVICE_NAME_TAKEN: {
    en: 'The name "{detail}" is already used by another device. Pick another name.',
    zh: '名称"{detail}"已被其他设备使用，请换一个名称。'
  },
  JOB_NOT_FOUND: {
    en: 'No job {detail}. It may have been removed from history.',
    zh: '没有任务 {detail}，它可能已从历史记录中删除。'
  },
  JOB_CANCELLED: {
    en: 'Cancelled.',
    zh: '已取消。'
  },
  JOB_INTERRUPTED: {
    en: 'EdgeDock stopped while this job was running. Start it again; finished steps are kept in its log.',
    zh: '任务运行时 EdgeDock 已停止。请重新开始；已完成的步骤保留在日志中。'
  },
  HOST_UNREACHABLE: {
    en: 'Could not reach {detail}. Check the cable, the power and that the unit is on this network.',
    zh: '无法连接 {detail}。请检查网线、电源，以及设备是否在此网络中。'
  },
  CONNECTION_REFUSED: {
    en: '{detail} refused the connection: the unit is up but SSH is not running on that port.',
    zh: '{detail} 拒绝连接：设备已开机，但该端口上没有运行 SSH。'
  },
  TIMEOUT: {
    en: '{detail} did not answer in time. The unit may be booting or the link may be slow; try again.',
    zh: '{detail} 未及时响应。设备可能正在启动或链路较慢，请重试。'
  },
  DB_FROM_FUTURE: {
    en: 'This database was written by a newer EdgeDock (schema {detail}). Update EdgeDock, or point --data-dir at another folder. Nothing was changed.',
    zh: '此数据库由更新版本的 EdgeDock 写入（架构 {detail}）。请更新 EdgeDock，或用 --data-dir 指向其他文件夹。未做任何更改。'
  },
  DB_NOT_A_DATABASE: {
    en: '{detail} is not an EdgeDock database (or is damaged). Move it aside and start again; nothing was changed.',
    zh: '{detail} 不是 EdgeDock 数据库（或已损坏）。请将其移到别处后重新开始；未做任何更改。'
  },
  DB_MIGRATION_CHANGED: {
    en: 'The history database does not match this build of EdgeDock (migration {detail} differs). Nothing was changed; report this build.',
    zh: '历史数据库与此版本 EdgeDock 不匹配（迁移 {detail} 不同）。未做任何更改；请报告此版本。'
  },
  DATA_DIR_UNUSABLE: {
    en: 'Cannot use the data folder {detail}. Check that it exists, is writable and the disk is not full.',
    zh: '无法使用数据文件夹 {detail}。请检查它是否存在、可写，以及磁盘是否已满。'
  },
  MODEL_FILE_UNREADABLE: {
    en: 'Cannot read the model file {detail}. Check that it exists and that EdgeDock may read it.',
    zh: '无法读取模型文件 {detail}。请检查文件是否存在，以及 EdgeDock 是否有权限读取。'
  },
  MODEL_MALFORMED: {
    en: '{detail}. This is not a complete ONNX model (cut short or not ONNX); copy or export it again. Nothing was saved.',
    zh: '{detail}。这不是完整的 ONNX 模型（文件不完整或不是 ONNX 格式），请重新复制或导出。未保存任何内容。'
  },
  MODEL_EXTERNAL_DATA: {
    en: '{detail} keeps its weights in a separate file. Save the model with its weights inside the .onnx file and import it again.',
    zh: '{detail} 的权重保存在单独的文件中。请将权重保存在 .onnx 文件内后重新导入。'
  },
  MODEL_NOT_FOUND: {
    en: 'No model {detail} in the library. Run "edgedock models list" to see the names.',
    zh: '模型库中没有模型 {detail}。运行 "edgedock models list" 查看名称。'
  },
  MODEL_VERSION_EXISTS: {
    en: 'The library already has {detail} (same name and version) with different contents. Pick another version.',
    zh: '模型库中已有 {detail}（同名同版本），但内容不同。请换一个版本号。'
  },
  MODEL_STORE_WRITE_FAILED: {
    en: 'Could not save the model into {detail}. Check that the disk is not full and the folder is writable.',
    zh: '无法将模型保存到 {detail}。请检查磁盘是否已满以及文件夹是否可写。'
  },
  MODEL_LOAD_FAILED: {
    en: 'ONNX Runtime could not load {detail}. The file may be damaged or made for another runtime.',
    zh: 'ONNX Runtime 无法加载 {detail}。文件可能已损坏，或是为其他运行时生成的。'
  },
  MODEL_OP_UNSUPPORTED: {
    en: 'ONNX Runtime on this computer cannot run the operation {detail} with the number types this model uses. Quantize it another way (e.g. QDQ, or uint8 weights) and try again.',
    zh: '此计算机上的 ONNX Runtime 无法以该模型使用的数值类型运行算子 {detail}。请换一种量化方式（例如 QDQ 或 uint8 权重）后重试。'
  },
  MODEL_OPSET_UNSUPPORTED: {
    en: 'The model uses ONNX opset {detail}, newer than this ONNX Runtime supports. Export it again with an older opset.',
    zh: '该模型使用 ONNX 算子集 {detail}，比当前 ONNX Runtime 支持的更新。请使用较旧的算子集重新导出。'
  },
  MODEL_RUN_FAILED: {
    en: 'Running model {detail} failed. The job log has the runtime\'s message.',
    zh: '运行模型 {detail} 失败。运行时的报错信息见任务日志。'
  },
  MODEL_INPUT_UNSUPPORTED: {
    en: 'This model cannot be fed from a sample set: {detail}.',
    zh: '无法用样本集为此模型提供输入：{detail}。'
  },
  SAMPLES_INVALID: {
    en: 'The sample set is not usable: {detail}. It must be JSON {"inputs": [[numbers]], "labels": [classes]} with one label per row.',
    zh: '样本集不可用：{detail}。它必须是 JSON 格式 {"inputs": [[数字]], "labels": [类别]}，且每行一个标签。'
  },
  SAMPLES_SHAPE_MISMATCH: {
    en: 'The sample rows do not fit the model\'s input ({detail}). Use a sample set made for this model.',
    zh: '样本行与模型输入不匹配（{detail}）。请使用为此模型准备的样本集。'
  },
  COMPARE_OUTPUT_MISMATCH: {
    en: 'The two models give outputs of different sizes ({detail} values), so they are not versions of the same model.',
    zh: '两个模型的输出大小不同（{detail} 个值），它们不是同一模型的不同版本，无法比较。'
  },
  DISCOVERY_INVALID_SUBNET: {
    en: '"{detail}" is not a subnet. Write it like 192.168.1.0/24.',
    zh: '"{detail}" 不是有效的子网，请按 192.168.1.0/24 的格式填写。'
  },
  DISCOVERY_SUBNET_TOO_LARGE: {
    en: '{detail} is too large to scan. Use a /16 or smaller, e.g. 192.168.0.0/16.',
    zh: '{detail} 范围太大，无法扫描。请使用 /16 或更小的子网，例如 192.168.0.0/16。'
  },
  DISCOVERY_ABORTED: {
    en: 'Scan cancelled.',
    zh: '扫描已取消。'
  },
  USB_UDEV_MISSING: {
    en: 'USB console cables cannot be listed because udev is not installed. Install it (sudo apt-get install udev) and plug the cable in again.',
    zh: '未安装 udev，无法列出 USB 串口线。请安装（sudo apt-get install udev）后重新插入串口线。'
  },
  USB_LIST_FAILED: {
    en: 'Listing USB devices failed: {detail}. Unplug the device, plug it back in, and scan again.',
    zh: '列出 USB 设备失败：{detail}。请拔插后重新扫描。'
  },
  SERIAL_LOGIN_TIMEOUT: {
    en: 'The serial console showed no login prompt in time. Check that the unit has power, the cable is on GPIO 14/15 with TX and RX crossed, and the speed is 115200.',
    zh: '串口控制台未及时出现登录提示。请检查设备已通电、串口线接在 GPIO 14/15（TX/RX 交叉）且波特率为 115200。'
  },
  SERIAL_LOGIN_INCORRECT: {
    en: 'The unit refused the user name or password (Login incorrect). Check them and try again; EdgeDock tried only once.',
    zh: '设备拒绝了用户名或密码（Login incorrect）。请核对后重试；EdgeDock 只尝试了一次。'
  },
  SERIAL_COMMAND_TIMEOUT: {
    en: 'The command "{detail}" did not finish on the serial console in time. The unit may be busy; try again.',
    zh: '命令"{detail}"未在串口控制台上及时完成。设备可能正忙，请重试。'
  },
  SERIAL_COMMAND_FAILED: {
    en: 'The command "{detail}" failed on the unit. Its output is in the job log.',
    zh: '命令"{detail}"在设备上执行失败，输出见任务日志。'
  },
  SERIAL_CONSOLE_CLOSED: {
    en: 'The serial port closed before setup finished (cable unplugged?). Plug it back in and try again.',
    zh: '串口在完成前已关闭（串口线被拔出？）。请重新插好后重试。'
  },
  SERIAL_PORT_UNAVAILABLE: {
    en: 'The serial port cannot be opened: {detail}. Check the cable and the port name ("edgedock usb" lists the ports), and close any other program using it.',
    zh: '无法打开串口：{detail}。请检查串口线和端口名（"edgedock usb" 会列出端口），并关闭正在使用它的其他程序。'
  },
  MDNS_UNAVAILABLE: {
    en: 'Name discovery (mDNS) could not start: {detail}. The network scan still ran, and units can still be found by address.',
    zh: '名称发现（mDNS）无法启动：{detail}。网络扫描仍已完成，仍可按地址找到设备。'
  },
  RUNTIME_32BIT_USERLAND: {
    en: 'This unit runs 32-bit Raspberry Pi OS; ONNX Runtime has no 32-bit ARM build. Flash the 64-bit Raspberry Pi OS and try again.',
    zh: '此设备运行的是 32 位 Raspberry Pi OS；ONNX Runtime 没有 32 位 ARM 版本。请刷写 64 位 Raspberry Pi OS 后重试。'
  },
  RUNTIME_ARCH_UNSUPPORTED: {
    en: 'This unit has a {detail} processor; the EdgeDock runtime runs on 64-bit ARM (aarch64) and x86_64 only. Use a Raspberry Pi 3, 4 or 5 with the 64-bit OS.',
    zh: '此设备的处理器为 {detail}；EdgeDock 运行时仅支持 64 位 ARM（aarch64）和 x86_64。请使用装有 64 位系统的树莓派 3、4 或 5。'
  },
  RUNTIME_GLIBC_TOO_OLD: {
    en: 'This unit\'s system is too old for the runtime ({detail}; glibc 2.28 or newer is needed). Flash a current 64-bit Raspberry Pi OS and try again.',
    zh: '此设备的系统版本过旧，无法运行该运行时（{detail}；需要 glibc 2.28 或更高版本）。请刷写最新的 64 位 Raspberry Pi OS 后重试。'
  },
  RUNTIME_DISK_FULL: {
    en: 'Not enough free space on this unit ({detail}). Remove old models or files, or use a larger SD card, then try again.',
    zh: '此设备可用空间不足（{detail}）。请删除旧模型或文件，或换用更大的 SD 卡后重试。'
  },
  RUNTIME_PREFLIGHT_UNREADABLE: {
    en: 'Could not check this unit before installing: {detail}. Make sure it runs Raspberry Pi OS (or Debian) and try again; the job log has the command output.',
    zh: '安装前无法检查此设备：{detail}。请确认设备运行的是 Raspberry Pi OS（或 Debian）后重试；命令输出见任务日志。'
  },
  RUNTIME_BUNDLE_FAILED: {
    en: 'Could not prepare the device runtime: {detail}. The first build for each processor type needs the npm registry once; after that it works offline.',
    zh: '无法准备设备运行时：{detail}。每种处理器类型首次构建时需要访问一次 npm 仓库，之后可离线使用。'
  },
  PROFILE_INVALID: {
    en: 'The provisioning profile is not valid: {detail}. Fix the profile file and try again; nothing was changed.',
    zh: '配置方案无效：{detail}。请修正方案文件后重试；未做任何更改。'
  },
  PROFILE_NOT_FOUND: {
    en: 'No provisioning profile "{detail}". Use a built-in name (door-access-unit, bench-node) or the path of a .yaml file.',
    zh: '没有名为"{detail}"的配置方案。请使用内置名称（door-access-unit、bench-node）或 .yaml 文件路径。'
  },
  PROFILE_VARIABLE_INVALID: {
    en: 'A profile variable is not valid: {detail}. Correct the value and try again; nothing was run on any unit.',
    zh: '配置方案变量无效：{detail}。请更正该值后重试；未在任何设备上执行操作。'
  },
  SITE_PLAN_INVALID: {
    en: 'The site plan (CSV) is not valid: {detail}. Correct that line and import it again; nothing was run.',
    zh: '站点计划（CSV）无效：{detail}。请更正该行后重新导入；未执行任何操作。'
  },
  PROVISION_STEP_FAILED: {
    en: 'Provisioning stopped at a step: {detail}. The job log has the command\'s output; fix the cause and run the profile again (steps already done stay as they are).',
    zh: '配置在某一步骤中止：{detail}。命令输出见任务日志；排除原因后重新运行该配置方案（已完成的步骤保持不变）。'
  },
  PROVISION_MAX_FAILURES: {
    en: 'Too many units failed ({detail}), so no further units were started. Units already running finished; use "retry failed" once the cause is fixed.',
    zh: '失败的设备过多（{detail}），因此未再启动其他设备。正在运行的设备已完成；排除原因后请使用"重试失败项"。'
  },
  REBOOT_TIMEOUT: {
    en: '{detail} did not come back after the reboot in time. Check its power and network, then run the profile again.',
    zh: '{detail} 重启后未在规定时间内恢复。请检查电源和网络，然后重新运行配置方案。'
  },
  HOST_KEY_CHANGED: {
    en: 'The SSH host key of {detail} is not the one EdgeDock pinned at first contact. EdgeDock stopped before sending any password or key; nothing was changed on the unit. If this unit was reflashed or its SSH keys were regenerated, compare the new fingerprint with the unit and choose "Trust the new key"; otherwise another machine may be answering at this address: check the network.',
    zh: '{detail} 的 SSH 主机密钥与 EdgeDock 首次连接时固定的密钥不一致。EdgeDock 在发送任何密码或密钥之前已停止，未对设备做任何更改。如果该设备刚重新刷写或重新生成了 SSH 密钥，请核对新指纹后选择"信任新密钥"；否则可能有其他机器在此地址应答，请检查网络。'
  },
  SSH_AUTH_REFUSED: {
    en: '{detail} refused the login. Check the user name and password, or that EdgeDock\'s key is in ~/.ssh/authorized_keys on the unit, then try again.',
    zh: '{detail} 拒绝登录。请检查用户名和密码，或确认 EdgeDock 的密钥已在设备的 ~/.ssh/authorized_keys 中，然后重试。'
  },
  SSH_LINK_LOST: {
    en: 'The connection to {detail} dropped while EdgeDock was working on it. Check the cable, the power and the network; the last step may be half done, so run the job again (finished steps are skipped).',
    zh: '与 {detail} 的连接在操作过程中中断。请检查网线、电源和网络；最后一步可能只完成了一半，请重新运行任务（已完成的步骤会被跳过）。'
  },
  SSH_COMMAND_TIMEOUT: {
    en: 'A command did not finish in time and was stopped: {detail}. The unit may be busy or the link slow; run the job again.',
    zh: '命令未在规定时间内完成，已被停止：{detail}。设备可能正忙或链路较慢，请重新运行任务。'
  },
  SSH_TRANSFER_FAILED: {
    en: 'Copying a file to or from the unit failed: {detail}. Check the free space on the unit and the path, then try again.',
    zh: '与设备之间复制文件失败：{detail}。请检查设备的可用空间和路径，然后重试。'
  },
  SSH_IDENTITY_UNREADABLE: {
    en: 'EdgeDock could not unlock its own SSH key ({detail}). Nothing was sent to any unit. Run EdgeDock as the same user as before; if the key is lost, remove the key files named in the detail and provision the units again with their password.',
    zh: 'EdgeDock 无法解锁自己的 SSH 密钥（{detail}）。未向任何设备发送内容。请以与之前相同的用户运行 EdgeDock；如果密钥已丢失，请删除详情中列出的密钥文件，并使用密码重新配置设备。'
  },
  HOST_KEY_REPIN_REFUSED: {
    en: 'Nothing was re-pinned: {detail}. Check the fingerprint on the unit (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and give exactly that one.',
    zh: '未重新固定主机密钥：{detail}。请在设备上核对指纹（ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub），并准确填写该指纹。'
  },
  IDENTITY_KEY_INVALID: {
    en: 'The SSH key given for first contact cannot be used: {detail}. Nothing was sent to any unit.',
    zh: '用于首次连接的 SSH 密钥无法使用：{detail}。未向任何设备发送内容。'
  },
  REMOTE_PORT_CLOSED: {
    en: 'Nothing answers on {detail}: the service there is not running (or the unit\'s SSH server does not allow port forwarding).',
    zh: '{detail} 上没有服务应答：该服务未运行（或设备的 SSH 服务器不允许端口转发）。'
  },
  INFERENCE_SERVICE_DOWN: {
    en: 'The inference service on {detail} does not answer. Install or repair it with "edgedock runtime install", then try again; the service log is in "journalctl -u edgedock-inference" on the unit.',
    zh: '{detail} 上的推理服务没有响应。请运行 "edgedock runtime install" 安装或修复后重试；服务日志可在设备上用 "journalctl -u edgedock-inference" 查看。'
  },
  MODEL_PUSH_ROLLED_BACK: {
    en: 'The new model did not start on the unit, so EdgeDock switched it back to the previous version, which is serving again: {detail}. Check the model with "edgedock models inspect" and push a fixed version.',
    zh: '新模型未能在设备上启动，EdgeDock 已将设备切回之前的版本，该版本已恢复服务：{detail}。请用 "edgedock models inspect" 检查模型，然后推送修复后的版本。'
  },
  MODEL_PUSH_NOT_LOADED: {
    en: 'The new model did not start on the unit and there was no earlier version to go back to: {detail}. The unit serves no model now; push a working version.',
    zh: '新模型未能在设备上启动，且没有可以退回的旧版本：{detail}。设备当前没有提供任何模型服务，请推送一个可用的版本。'
  },
  MODEL_ROLLBACK_FAILED: {
    en: 'Going back to the previous model version did not work: {detail}. Check the unit with "edgedock devices model-status" and its service log ("journalctl -u edgedock-inference").',
    zh: '退回到之前的模型版本失败：{detail}。请用 "edgedock devices model-status" 检查设备，并查看其服务日志（"journalctl -u edgedock-inference"）。'
  },
  MODEL_VERSION_NOT_ON_UNIT: {
    en: 'Model version {detail} is not on the unit, so EdgeDock cannot switch to it. Run "edgedock devices model-status" to see the versions there, or push that version.',
    zh: '设备上没有模型版本 {detail}，无法切换到该版本。运行 "edgedock devices model-status" 查看设备上的版本，或推送该版本。'
  },
  MODEL_NO_EARLIER_VERSION: {
    en: '{detail} has no earlier model version to roll back to. Push the version you want instead.',
    zh: '{detail} 上没有可回滚到的更早模型版本。请直接推送您需要的版本。'
  },
  MODEL_VERSION_CONFLICT: {
    en: 'The unit already has a different model stored as version {detail}. Push it with another version (--version), or roll back to that version.',
    zh: '设备上已有另一个模型存为版本 {detail}。请用其他版本号推送（--version），或回滚到该版本。'
  },
  DEPLOY_STEP_FAILED: {
    en: 'A step on the unit failed: {detail}. The model it served before is unchanged. The job log has the command\'s output; fix the cause and run the job again (what is already on the unit is not sent again).',
    zh: '设备上的某个步骤失败：{detail}。设备之前提供的模型保持不变。命令输出见任务日志；排除原因后请重新运行任务（设备上已有的内容不会重复发送）。'
  },
  DEPLOY_UNITS_FAILED: {
    en: '{detail}. The job result lists every unit and what went wrong; fix the cause and run it again for those units.',
    zh: '{detail}。任务结果列出了每台设备及其出错原因；排除原因后请对这些设备重新运行。'
  },
  INTERNAL: {
    en: 'Something went wrong inside EdgeDock ({detail}). The job log has the details.',
    zh: 'EdgeDock 内部出错（{detail}）。详情见任务日志。'
  }
} as const satisfies Record<string, { en: string; zh: string }>

export type ErrorCode = keyof typeof errorMessages
export type Language = 'en' | 'zh'

export const errorCodes = Object.keys(errorMessages) as ErrorCode[]

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorMessages, value)
}

export function errorMessage(code: ErrorCode, lang: Language, detail = ''): string {
  return errorMessages[code][lang].replace('{detail}', detail).replace(/[:：]\s*$/, '')
}

/** The one error type that crosses a transport: a code, an English message, a detail. */
export class EdgeError extends Error {
  override readonly name = 'EdgeError'
  constructor(
    readonly code: ErrorCode,
    readonly detail = '',
    options?: { cause?: unknown; message?: string }
  ) {
    // A more specific English message may replace the table's; UIs still render code + detail.
    super(options?.message ?? errorMessage(code, 'en', detail), options)
  }
}

export interface SerializedError {
  code: ErrorCode
  message: string
  detail: string
}

export function serializeError(err: EdgeError): SerializedError {
  return { code: err.code, message: err.message, detail: err.detail }
}

/** For exhaustive switches: the compiler proves this is unreachable. */
export function missingCase(value: never): never {
  throw new Error(`Unhandled case: ${String(value)}`)
}
