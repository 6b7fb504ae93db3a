import { architecture, type Architecture, type MatrixSpec } from './synthetic.js';

/**
 * MobileNetV2, width 1.0, 224x224, in torchvision's layout (torchvision/models/mobilenetv2.py:
 * inverted_residual_setting t, c, n, s; the expand 1x1 omitted when t = 1; BatchNorm after every
 * conv; Linear 1280 -> 1000 with bias), as in torchvision's mobilenet_v2 (https://pytorch.org/vision/stable/models/generated/torchvision.models.mobilenet_v2.html).
 * weights = c_out x c_in / groups x k^2; MACs = weights x H_out x W_out.
 */
const SETTING: [number, number, number, number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

export function mobilenetV2(): Architecture {
  const specs: MatrixSpec[] = [];
  let batchNormParams = 0;
  let previous = 'input';
  const conv = (name: string, op: string, cIn: number, cOut: number, k: number, groups: number, hIn: number, stride: number, kind?: 'edge') => {
    const hOut = hIn / stride;
    const params = cOut * (cIn / groups) * k * k;
    specs.push({
      name,
      op,
      params,
      macs: params * hOut * hOut,
      fanIn: (cIn / groups) * k * k,
      kind,
      inputs: [previous],
      activationElements: cIn * hIn * hIn + cOut * hOut * hOut,
      dotProductLength: (cIn / groups) * k * k,
    });
    batchNormParams += 2 * cOut;
    previous = name;
    return hOut;
  };
  let h = conv('features.0.0', 'conv2d', 3, 32, 3, 1, 224, 2, 'edge');
  let channels = 32;
  let index = 1;
  for (const [t, c, n, s] of SETTING) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = channels * t;
      const prefix = `features.${index}.conv`;
      if (t !== 1) {
        conv(`${prefix}.0.0`, 'conv2d', channels, hidden, 1, 1, h, 1);
        h = conv(`${prefix}.1.0`, 'depthwise-conv2d', hidden, hidden, 3, hidden, h, stride);
        conv(`${prefix}.2`, 'conv2d', hidden, c, 1, 1, h, 1);
      } else {
        h = conv(`${prefix}.0.0`, 'depthwise-conv2d', hidden, hidden, 3, hidden, h, stride);
        conv(`${prefix}.1`, 'conv2d', hidden, c, 1, 1, h, 1);
      }
      channels = c;
      index++;
    }
  }
  conv(`features.${index}.0`, 'conv2d', channels, 1280, 1, 1, h, 1);
  specs.push({ name: 'classifier.1', op: 'linear', params: 1280 * 1000, macs: 1280 * 1000, fanIn: 1280, kind: 'edge', inputs: [previous], activationElements: 2280, dotProductLength: 1280 });
  return architecture(specs, batchNormParams + 1000);
}
